using System.Text.Json;
using System.Text.Json.Serialization;
using Keystore.Boot;

namespace Keystore.Api;

public sealed record HealthResponse(string Status);

/// <summary><see cref="Tee"/> says plainly whether attestation is real, simulated or off.</summary>
public sealed record ReadyResponse(bool Ready, string? MasterSecretSource, TeeSummary Tee, IReadOnlyList<BootStep> Steps);

/// <summary>
/// Provider <c>dstack</c>, <c>simulator</c> or <c>none</c>; <see cref="WorkerPublicKey"/> is this boot's NEAR key;
/// <see cref="Tcb"/> the worker's TCB status as the DAO reports it (absent until registered).
/// </summary>
public sealed record TeeSummary(string Provider, bool Simulated, string WorkerPublicKey, bool Registered, [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] Keystore.Dao.WorkerTcb? Tcb = null);

public sealed record KeyResponse(string Account, string Chain, uint Index, string Path, string PublicKey, string Address,
    Keystore.Bindings.BindingStatus Binding);

/// <summary>
/// This worker's evidence: the quote (hex) with <c>report_data = workerPublicKey ‖ 0^32</c>, the
/// event log whose RTMR3 replay is <see cref="Rtmr3"/>, the TEE's TCB info, and the collateral a
/// verifier needs. <see cref="Simulated"/> true means a local test PKI signed it: it proves nothing.
/// </summary>
public sealed record AttestationResponse(
    string WorkerPublicKey,
    string Quote,
    JsonElement EventLog,
    JsonElement? TcbInfo,
    string Rtmr3,
    bool Simulated,
    string Provider,
    bool Registered,
    string? Dao,
    JsonElement Collateral,
    string? AuditPublicKey = null);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, UseStringEnumConverter = true)]
[JsonSerializable(typeof(HealthResponse))]
[JsonSerializable(typeof(ReadyResponse))]
[JsonSerializable(typeof(KeyResponse))]
[JsonSerializable(typeof(AttestationResponse))]
[JsonSerializable(typeof(IReadOnlyList<BootStep>))]
public sealed partial class ApiJsonContext : JsonSerializerContext
{
    /// <summary>
    /// The API's serializer: responses are application/json, never embedded in HTML, so characters such as
    /// <c>'</c> in derivation paths are written as themselves rather than <c>\u0027</c>.
    /// </summary>
    public static ApiJsonContext Api { get; } = new(new JsonSerializerOptions(JsonSerializerDefaults.Web)
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });
}
