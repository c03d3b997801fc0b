using System.Buffers.Binary;
using System.Numerics;
using System.Text.Json;
using Keystore.Chains;
using Keystore.Policies.Decoding;
using Keystore.Policies.Documents;

namespace Keystore.Tests.Policies;

/// <summary>
/// The fee each decoder counts as spend of the chain's coin: Ethereum's gas limit × the most a unit of gas can cost, and
/// Solana's signature fee plus the prioritization fee its Compute Budget instructions set, read as the runtime reads them.
/// </summary>
public class NetworkFeeDecodingTests
{
    private const string ComputeBudgetProgram = "ComputeBudget111111111111111111111111111111";
    private static readonly BigInteger Gwei = BigInteger.Pow(10, 9);

    private static SignIntent Ethereum(string transaction) => EthereumIntentDecoder.Decode(JsonDocument.Parse($$"""{"transaction": {{transaction}} }""").RootElement);

    private static AssetTransfer? FeeOf(SignIntent intent) => intent.Transfers.SingleOrDefault(t => t.Kind == TransferKind.Fee);

    [Fact]
    public void An_Ethereum_fee_is_the_gas_limit_times_maxFeePerGas_or_gasPrice_read_from_the_members_the_sign_route_reads()
    {
        const string to = "0x742d35cc6634c0532925a3b844bc454e4438f44e";
        AssetTransfer fee = FeeOf(Ethereum($$"""{"type":"0x2","chainId":"0x89","nonce":"0","to":"{{to}}","value":"1","gas":"0x5208","maxFeePerGas":"30000000000","maxPriorityFeePerGas":"1"}"""))!;
        Assert.Equal(new AssetTransfer("eth:137", null, 21_000 * 30 * Gwei, TransferKind.Fee), fee);
        // ethers' toJSON names it gasLimit; legacy and EIP-2930 transactions pay gasPrice.
        Assert.Equal(50_000 * 2 * Gwei, FeeOf(Ethereum($$"""{"chainId":"1","nonce":"0","to":"{{to}}","gasLimit":"50000","gasPrice":"2000000000","gas":null}"""))!.Amount);
        Assert.Equal(50_000 * 2 * Gwei, FeeOf(Ethereum($$"""{"type":1,"chainId":"1","nonce":"0","to":"{{to}}","gas":50000,"gasPrice":"0x77359400","accessList":[]}"""))!.Amount);
        // A contract creation pays its fee too.
        Assert.Equal(100_000 * Gwei, FeeOf(Ethereum("""{"chainId":"1","nonce":"0","data":"0x00","gas":"100000","gasPrice":"1000000000"}"""))!.Amount);
        // A transaction that can pay nothing spends no ether on fees.
        SignIntent free = Ethereum($$"""{"chainId":"1","nonce":"0","to":"{{to}}","value":"0","gas":"21000","maxFeePerGas":"0","maxPriorityFeePerGas":"0"}""");
        Assert.Null(FeeOf(free));
        Assert.False(free.Opaque);
    }

    [Theory]
    [InlineData("""{"chainId":"1","nonce":"0","to":"0x742d35cc6634c0532925a3b844bc454e4438f44e","maxFeePerGas":"1","maxPriorityFeePerGas":"1"}""")]
    [InlineData("""{"chainId":"1","nonce":"0","to":"0x742d35cc6634c0532925a3b844bc454e4438f44e","gas":"21000"}""")]
    [InlineData("""{"chainId":"1","nonce":"0","to":"0x742d35cc6634c0532925a3b844bc454e4438f44e","gas":"21000","maxFeePerGas":"lots","maxPriorityFeePerGas":"1"}""")]
    [InlineData("""{"chainId":"1","nonce":"0","to":"0x742d35cc6634c0532925a3b844bc454e4438f44e","gas":-1,"gasPrice":"1"}""")]
    public void An_Ethereum_transaction_whose_fee_cannot_be_read_is_opaque(string transaction)
    {
        SignIntent intent = Ethereum(transaction);
        Assert.True(intent.Opaque);
        Assert.Contains("fee", intent.OpaqueReason, StringComparison.Ordinal);
    }

    [Fact]
    public void Typed_data_and_personal_messages_pay_no_fee()
    {
        Assert.Empty(EthereumIntentDecoder.Decode(JsonDocument.Parse("""{"message":"hello"}""").RootElement).Transfers);
        SignIntent typed = EthereumIntentDecoder.Decode(JsonDocument.Parse("""
            {"typedData":{"types":{"EIP712Domain":[{"name":"name","type":"string"}],"Mail":[{"name":"contents","type":"string"}]},
             "primaryType":"Mail","domain":{"name":"Ether Mail"},"message":{"contents":"hi"}}}
            """).RootElement);
        Assert.Null(FeeOf(typed));
        Assert.Empty(SolanaIntentDecoder.OffchainMessage().Transfers);
    }

    [Fact]
    public void A_Solana_message_without_Compute_Budget_instructions_pays_5000_lamports_a_signature()
    {
        SignIntent intent = SolanaIntentDecoder.DecodeMessage(Message(signers: 2, others: 1));
        Assert.Equal(new AssetTransfer(AssetId.Sol, null, 10_000, TransferKind.Fee), FeeOf(intent));
        Assert.False(intent.Opaque);
    }

    [Theory]
    // ceil(1 µlamport × 1 unit / 10⁶) = 1 lamport.
    [InlineData(1u, 1UL, 1, 5_001L)]
    // No limit: 200,000 units for each of 3 instructions = 600,000 units × 10 µlamports = 6 lamports.
    [InlineData(null, 10UL, 3, 5_006L)]
    // No limit: 8 × 200,000 is more than the 1,400,000 any transaction gets.
    [InlineData(null, 1_000_000UL, 8, 5_000L + 1_400_000)]
    // An explicit limit above 1,400,000 counts as 1,400,000.
    [InlineData(2_000_000u, 1_000_000UL, 1, 5_000L + 1_400_000)]
    // The largest price: 18,446,744,073,709,551,615 µlamports × 1,400,000 units, rounded up.
    [InlineData(1_400_000u, ulong.MaxValue, 1, null)]
    public void The_prioritization_fee_is_the_compute_unit_price_times_the_limit_rounded_up(uint? limit, ulong price, int others, long? expected)
    {
        byte[][] budget = limit is { } units ? [SetLimit(units), SetPrice(price)] : [SetPrice(price)];
        SignIntent intent = SolanaIntentDecoder.DecodeMessage(Message(signers: 1, others, budget));
        BigInteger fee = expected ?? 5_000 + ((BigInteger)ulong.MaxValue * 1_400_000 + 999_999) / 1_000_000;
        Assert.Equal(fee, FeeOf(intent)!.Amount);
        Assert.False(intent.Opaque);
    }

    [Fact]
    public void A_repeated_or_malformed_Compute_Budget_instruction_is_opaque_and_its_fee_is_counted_with_the_largest_values()
    {
        SignIntent repeated = SolanaIntentDecoder.DecodeMessage(Message(signers: 1, others: 1, [SetPrice(1_000_000), SetPrice(3_000_000), SetLimit(100), SetLimit(200_000)]));
        Assert.True(repeated.Opaque);
        Assert.Contains("twice", repeated.OpaqueReason, StringComparison.Ordinal);
        Assert.Equal(5_000 + 600_000, FeeOf(repeated)!.Amount);

        SignIntent longer = SolanaIntentDecoder.DecodeMessage(Message(signers: 1, others: 1, [[.. SetPrice(1_000_000), 0]]));
        Assert.True(longer.Opaque);
        Assert.Equal(5_000 + 200_000, FeeOf(longer)!.Amount);

        SignIntent shorter = SolanaIntentDecoder.DecodeMessage(Message(signers: 1, others: 1, [SetPrice(1_000_000)[..5]]));
        Assert.True(shorter.Opaque);
        Assert.Equal(5_000, FeeOf(shorter)!.Amount);

        Assert.True(SolanaIntentDecoder.DecodeMessage(Message(signers: 1, others: 1, [[9]])).Opaque);
        Assert.True(SolanaIntentDecoder.DecodeMessage(Message(signers: 1, others: 1, [[]])).Opaque);
    }

    private static byte[] SetLimit(uint units)
    {
        byte[] data = new byte[5];
        data[0] = 2;
        BinaryPrimitives.WriteUInt32LittleEndian(data.AsSpan(1), units);
        return data;
    }

    private static byte[] SetPrice(ulong microLamports)
    {
        byte[] data = new byte[9];
        data[0] = 3;
        BinaryPrimitives.WriteUInt64LittleEndian(data.AsSpan(1), microLamports);
        return data;
    }

    /// <summary>
    /// A legacy message with <paramref name="signers"/> signers, the Compute Budget instructions <paramref name="budget"/>, then
    /// <paramref name="others"/> System transfers of 1 lamport from the first signer.
    /// </summary>
    private static byte[] Message(int signers, int others, params byte[][] budget)
    {
        var keys = new List<byte[]>();
        for (int i = 0; i < signers; i++) keys.Add([.. Enumerable.Repeat((byte)(i + 1), 32)]);
        int recipient = keys.Count;
        keys.Add([.. Enumerable.Repeat((byte)0x77, 32)]);
        int system = keys.Count;
        keys.Add(new byte[32]);
        int computeBudget = keys.Count;
        keys.Add(Base58.Decode(ComputeBudgetProgram));

        var instructions = new List<byte>();
        foreach (byte[] data in budget) instructions.AddRange([(byte)computeBudget, 0, (byte)data.Length, .. data]);
        byte[] transfer = [2, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0];
        for (int i = 0; i < others; i++) instructions.AddRange([(byte)system, 2, 0, (byte)recipient, (byte)transfer.Length, .. transfer]);
        return
        [
            (byte)signers, 0, 2, // the System and Compute Budget programs read-only
            (byte)keys.Count, .. keys.SelectMany(k => k),
            .. Enumerable.Repeat((byte)9, 32), // recent blockhash
            (byte)(budget.Length + others), .. instructions,
        ];
    }
}
