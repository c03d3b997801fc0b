using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Keystore.Attestation.Collateral;
using Keystore.Attestation.Simulator;

namespace Keystore.Attestation.Tests.ForgedCollateral;

/// <summary>
/// The generator of the forged-collateral fixtures both verifiers are tested with, from one simulator PKI:
/// <c>tests/Attestation.Tests/Vectors/forged/</c> (C#) and <c>contracts/dcap/tests/vectors/forged/</c> (Rust) hold
/// the same bytes. The PKI is seeded and its signatures deterministic, so every file but the quote (whose QE
/// attestation key is fresh per simulator) is reproduced exactly; <see cref="ForgedCollateralFixtureTests"/> checks
/// that, and rewrites both copies when <c>WRITE_FORGED_COLLATERAL_FIXTURES=1</c>.
/// </summary>
internal static class ForgedCollateralFixtures
{
    public const uint EvaluationDataNumber = 17;
    public const uint OlderEvaluationDataNumber = 16;
    /// <summary>2026-06-01T00:00:00Z, inside the simulator's collateral window.</summary>
    public const long VerifyAt = 1780272000;

    public static readonly string[] CSharpDirectory = ["tests", "Attestation.Tests", "Vectors", "forged"];
    public static readonly string[] RustDirectory = ["contracts", "dcap", "tests", "vectors", "forged"];

    private static SimulatedTdxOptions Options(uint evaluationDataNumber) => new()
    {
        Seed = Encoding.ASCII.GetBytes("near-tee-keystore forged collateral fixtures v1"),
        TcbEvaluationDataNumber = evaluationDataNumber,
        // Fixed, so the event log is reproducible (a simulated CVM's instance id is random by default).
        InstanceId = Enumerable.Repeat((byte)0x1d, 20).ToArray(),
    };

    /// <summary>The worker key the quote's report data binds (followed by 32 zero bytes, as the keystore's quotes do).</summary>
    private static readonly byte[] WorkerKey = SHA256.HashData("forged collateral fixture worker key"u8);

    /// <summary>Every fixture file but the quote: name → exact content.</summary>
    public static SortedDictionary<string, byte[]> Collateral()
    {
        var options = Options(EvaluationDataNumber);
        var pki = new SimulatedPki(options);
        var quote = new SimulatedTdxProvider(options).GetQuoteAsync(WorkerKey, CancellationToken.None).GetAwaiter().GetResult();
        // Same seed, same keys and root: only the evaluation number differs, and it is signed by the genuine signer.
        var older = new SimulatedPki(Options(OlderEvaluationDataNumber));
        var genuine = pki.Collateral;
        var expected = new JsonObject
        {
            ["verify_at"] = VerifyAt,
            ["tcb_evaluation_data_number"] = EvaluationDataNumber,
            ["older_tcb_evaluation_data_number"] = OlderEvaluationDataNumber,
            ["worker_public_key_hex"] = Convert.ToHexStringLower(WorkerKey),
            ["mrtd"] = Convert.ToHexStringLower(options.Mrtd),
            ["rtmr0"] = Convert.ToHexStringLower(options.Rtmr0),
            ["rtmr1"] = Convert.ToHexStringLower(options.Rtmr1),
            ["rtmr2"] = Convert.ToHexStringLower(options.Rtmr2),
            ["rtmr3"] = Convert.ToHexStringLower(quote.EventLog.Replay(3)),
            ["compose_hash"] = Convert.ToHexStringLower(options.ComposeHash),
            ["key_provider_digest"] = Convert.ToHexStringLower(quote.EventLog.Entries.Single(e => e.Event == "key-provider").Digest),
            ["generator"] = "tests/Attestation.Tests/ForgedCollateral/ForgedCollateralFixtures.cs",
        };
        return new(StringComparer.Ordinal)
        {
            ["root_ca.der"] = pki.RootCaDer,
            ["collateral.json"] = Json(genuine),
            ["collateral_signed_by_pck_leaf.json"] = Json(pki.CollateralSignedBy(SimulatedCollateralSigner.PckLeaf)),
            ["collateral_signed_by_pck_platform_ca.json"] = Json(pki.CollateralSignedBy(SimulatedCollateralSigner.PckPlatformCa)),
            ["collateral_older_evaluation_number.json"] = Json(older.Collateral),
            // Each CRL is genuine and in force, but in the other's place: neither covers what its slot must cover.
            ["collateral_crls_swapped.json"] = Json(genuine with { RootCaCrl = genuine.PckCrl, PckCrl = genuine.RootCaCrl }),
            ["event_log.json"] = Encoding.UTF8.GetBytes(quote.EventLogJson + "\n"),
            ["app_compose.json"] = Encoding.UTF8.GetBytes(options.AppCompose),
            ["expected.json"] = Encoding.UTF8.GetBytes(expected.ToJsonString() + "\n"),
        };
    }

    /// <summary>A quote of the fixture platform binding the worker key, its RTMR3 the replay of event_log.json.</summary>
    public static byte[] Quote() =>
        new SimulatedTdxProvider(Options(EvaluationDataNumber)).GetQuoteAsync(WorkerKey, CancellationToken.None).GetAwaiter().GetResult().Quote;

    private static byte[] Json(QuoteCollateralV3 c) => Encoding.UTF8.GetBytes(c.ToJson() + "\n");
}
