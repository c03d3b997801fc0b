using System.Text.Json.Serialization;

namespace Keystore.Approvals;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(PendingApproval))]
internal sealed partial class ApprovalStoreJson : JsonSerializerContext;
