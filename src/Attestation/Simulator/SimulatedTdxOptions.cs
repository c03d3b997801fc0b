using Keystore.Attestation.Verification;

namespace Keystore.Attestation.Simulator;

/// <summary>What the simulated platform and TD look like. Defaults describe an up-to-date, non-debug TD.</summary>
public sealed record SimulatedTdxOptions
{
    // Declared before LocalDevelopment: static initializers run in textual order, and its AppCompose defaults to this.
    /// <summary>The keystore's dstack app-compose document (<c>dstack/app-compose.json</c>, embedded at build time).</summary>
    public static string KeystoreAppCompose { get; } = ReadEmbedded("Keystore.Attestation.app-compose.json");

    /// <summary>
    /// The profile the local development network uses on both sides: the keystore's simulator and the
    /// local DAO that approves its OS measurement set and compose hash and pins its root CA. Fixed values, so
    /// every start and every machine produce the same PKI, MRTD, RTMR0–2 and compose hash (RTMR3 differs per
    /// start: the instance id is random, as on dstack); obviously not Intel's (the root is self-made).
    /// </summary>
    public static SimulatedTdxOptions LocalDevelopment { get; } = new()
    {
        Seed = System.Text.Encoding.ASCII.GetBytes("near-tee-keystore local TDX simulator v1"),
        Mrtd = Filled(48, 0x4d),
        Rtmr0 = Filled(48, 0x30),
        Rtmr1 = Filled(48, 0x31),
        Rtmr2 = Filled(48, 0x32),
    };

    private static string ReadEmbedded(string name)
    {
        using Stream stream = typeof(SimulatedTdxOptions).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"embedded resource {name} is missing");
        using var reader = new StreamReader(stream, new System.Text.UTF8Encoding(false));
        return reader.ReadToEnd();
    }

    private static byte[] Filled(int length, byte value)
    {
        byte[] bytes = new byte[length];
        Array.Fill(bytes, value);
        return bytes;
    }

    /// <summary>Seed for the PKI; null generates a random one (a throwaway PKI).</summary>
    public byte[]? Seed { get; init; }

    public byte[] Mrtd { get; init; } = new byte[48];
    public byte[] Rtmr0 { get; init; } = new byte[48];
    public byte[] Rtmr1 { get; init; } = new byte[48];
    public byte[] Rtmr2 { get; init; } = new byte[48];

    /// <summary>The SEAM module signer the quote reports; TCB info always expects Intel's (all zero), so anything else fails.</summary>
    public byte[] MrSignerSeam { get; init; } = new byte[48];

    /// <summary>TD attributes; the default sets only SEPT_VE_DISABLE. Setting byte 0 makes a debug TD.</summary>
    public byte[] TdAttributes { get; init; } = [0, 0, 0, 0x10, 0, 0, 0, 0];

    /// <summary>
    /// The app-compose document the simulated dstack measures: its sha256 is the <c>compose-hash</c> event, and the
    /// guest agent's info reports it verbatim (as dstack's <c>tcb_info.app_compose</c>).
    /// </summary>
    public string AppCompose { get; init; } = KeystoreAppCompose;

    /// <summary>sha256 of <see cref="AppCompose"/>'s UTF-8 bytes, as dstack computes the compose hash.</summary>
    public byte[] ComposeHash => System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(AppCompose));

    /// <summary>The <c>app-id</c> event; null: the compose hash's first 20 bytes, as dstack derives it without a KMS.</summary>
    public byte[]? AppId { get; init; }

    /// <summary>The <c>instance-id</c> event (20 bytes); null: random per simulated CVM, as dstack does unless <c>no_instance_id</c>.</summary>
    public byte[]? InstanceId { get; init; }

    /// <summary>The <c>key-provider</c> event payload; its digest is part of the OS measurement set the DAO approves.</summary>
    public string KeyProvider { get; init; } = """{"name":"none","id":""}""";

    public byte[] Fmspc { get; init; } = Convert.FromHexString("00906ED50000");
    public byte[] Ppid { get; init; } = new byte[16];

    /// <summary>The status the (single) platform TCB level reports, with its advisories.</summary>
    public TcbStatus PlatformStatus { get; init; } = TcbStatus.UpToDate;
    public IReadOnlyList<string> AdvisoryIds { get; init; } = [];

    /// <summary>The <c>tcbEvaluationDataNumber</c> of the TCB info and QE identity (Intel's numbering; 17 in mid-2025).</summary>
    public uint TcbEvaluationDataNumber { get; init; } = 17;

    /// <summary>Collateral validity; fixed defaults keep a seeded PKI reproducible.</summary>
    public DateTimeOffset ValidFrom { get; init; } = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
    public DateTimeOffset ValidUntil { get; init; } = new(2045, 1, 1, 0, 0, 0, TimeSpan.Zero);
}
