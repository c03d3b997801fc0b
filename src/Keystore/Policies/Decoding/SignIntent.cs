using Keystore.Policies.Documents;

namespace Keystore.Policies.Decoding;

/// <summary>
/// What a sign request would do, decoded from its body rather than trusted from the caller: the value it moves
/// and where, the contracts and programs it calls, the EIP-712 domain it signs for. <see cref="Opaque"/> marks a
/// request some part of which could not be decoded (<see cref="OpaqueReason"/> says which); a policy refuses it
/// unless the rule allows opaque payloads.
/// </summary>
public sealed record SignIntent
{
    public required PolicyChain Chain { get; init; }
    public required PolicyOperation Operation { get; init; }
    public IReadOnlyList<AssetTransfer> Transfers { get; init; } = [];
    public IReadOnlyList<ContractCall> Calls { get; init; } = [];
    public Eip712Domain? Domain { get; init; }
    public bool Opaque => OpaqueReason is not null;
    public string? OpaqueReason { get; init; }
}
