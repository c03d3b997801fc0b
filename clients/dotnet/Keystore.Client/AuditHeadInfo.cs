namespace Keystore.Client;

/// <summary>The head of the keystore's audit chain (<c>GET /v1/audit/head</c>, unauthenticated): its last sequence and hash, the key that signs the entries and the last sequence anchored on NEAR.</summary>
public sealed record AuditHeadInfo(long Sequence, string Hash, string AuditPublicKey, long? AnchoredSequence);
