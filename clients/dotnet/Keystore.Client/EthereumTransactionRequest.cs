using System.Text.Json.Serialization;

namespace Keystore.Client;

/// <summary>
/// An unsigned Ethereum transaction. Quantities are <c>0x</c> hex or decimal strings (use strings above 2^53).
/// <see cref="Type"/> 2 (EIP-1559, with <see cref="MaxFeePerGas"/> and <see cref="MaxPriorityFeePerGas"/>), 1 or 0 (with <see cref="GasPrice"/>).
/// </summary>
public sealed record EthereumTransactionRequest
{
    public int Type { get; init; } = 2;

    public required string ChainId { get; init; }

    public required string Nonce { get; init; }

    /// <summary>Null for a contract creation.</summary>
    public string? To { get; init; }

    public string Value { get; init; } = "0";

    public string Data { get; init; } = "0x";

    public required string Gas { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? GasPrice { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? MaxFeePerGas { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? MaxPriorityFeePerGas { get; init; }
}
