using System.Text.Json;
using System.Text.Json.Serialization;

namespace Keystore.Client;

/// <summary>Source-generated JSON for the client's types: no reflection, so the client also works trimmed and native-AOT compiled.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(KeyInfo))]
[JsonSerializable(typeof(EthereumTransactionRequest))]
[JsonSerializable(typeof(SignedEthereumTransaction))]
[JsonSerializable(typeof(SignedPsbt))]
[JsonSerializable(typeof(SolanaSignature))]
[JsonSerializable(typeof(SignDecision))]
[JsonSerializable(typeof(AccountExport))]
[JsonSerializable(typeof(AgentInfo))]
[JsonSerializable(typeof(AgentList))]
[JsonSerializable(typeof(AgentRevocation))]
[JsonSerializable(typeof(AccountPolicyInfo))]
[JsonSerializable(typeof(AuditPage))]
[JsonSerializable(typeof(AuditHeadInfo))]
[JsonSerializable(typeof(ApprovalRequest))]
[JsonSerializable(typeof(ApprovalPage))]
[JsonSerializable(typeof(WebhookInfo))]
[JsonSerializable(typeof(CreatedWebhook))]
[JsonSerializable(typeof(WebhookDeletion))]
[JsonSerializable(typeof(WebhookNotification))]
internal sealed partial class ClientJsonContext : JsonSerializerContext;
