using System.Text.Json;
using System.Text.Json.Serialization;
using Keystore.Boot;

namespace Keystore.Api;

public sealed record HealthResponse(string Status);

public sealed record ReadyResponse(bool Ready, string? MasterSecretSource, IReadOnlyList<BootStep> Steps);

public sealed record KeyResponse(string Account, string Chain, uint Index, string Path, string PublicKey, string Address);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, UseStringEnumConverter = true)]
[JsonSerializable(typeof(HealthResponse))]
[JsonSerializable(typeof(ReadyResponse))]
[JsonSerializable(typeof(KeyResponse))]
[JsonSerializable(typeof(IReadOnlyList<BootStep>))]
public sealed partial class ApiJsonContext : JsonSerializerContext;
