using Keystore.Near.Transactions;

namespace Keystore.LocalNear.Runtime;

/// <summary>
/// NEAR's gas parameters, taken from nearcore <c>core/parameters/res/runtime_configs/parameters.yaml</c>
/// (values of the current protocol; <c>wasm_regular_op_cost</c> and <c>action_receipt_creation</c> checked
/// against the published file and config snapshot). The local chain uses send_sir = send_not_sir, which
/// nearcore does for every fee except the few where they differ by rounding only.
/// </summary>
internal static class GasSchedule
{
    public const ulong MaxGasBurnt = 300_000_000_000_000;
    public const ulong MaxTotalPrepaidGas = 300_000_000_000_000;
    public static readonly UInt128 StorageAmountPerByte = 10_000_000_000_000_000_000;

    /// <summary>nearcore <c>num_extra_bytes_record</c>: what a trie record costs beyond its key and value.</summary>
    public const ulong StorageRecordOverhead = 40;
    /// <summary>nearcore <c>num_bytes_account</c>.</summary>
    public const ulong StorageAccountBytes = 100;

    // Wasm execution.
    public const ulong RegularOp = 822_756;
    public const ulong Base = 264_768_111;
    public const ulong ContractLoadingBase = 35_445_963;
    public const ulong ContractLoadingByte = 1_089_295;
    public const ulong ReadMemoryBase = 2_609_863_200;
    public const ulong ReadMemoryByte = 3_801_333;
    public const ulong WriteMemoryBase = 2_803_794_861;
    public const ulong WriteMemoryByte = 2_723_772;
    public const ulong ReadRegisterBase = 2_517_165_186;
    public const ulong ReadRegisterByte = 98_562;
    public const ulong WriteRegisterBase = 2_865_522_486;
    public const ulong WriteRegisterByte = 3_801_564;
    public const ulong Utf8DecodingBase = 3_111_779;
    public const ulong Utf8DecodingByte = 291_580_479;
    public const ulong Utf16DecodingBase = 3_543_313_050;
    public const ulong Utf16DecodingByte = 163_577_493;
    public const ulong Sha256Base = 4_540_970_250;
    public const ulong Sha256Byte = 24_117_351;
    public const ulong Keccak256Base = 5_879_491_275;
    public const ulong Keccak256Byte = 21_471_105;
    public const ulong Keccak512Base = 5_811_388_236;
    public const ulong Keccak512Byte = 36_649_701;
    public const ulong Ripemd160Base = 853_675_086;
    public const ulong Ripemd160Block = 680_107_584;
    public const ulong Ed25519VerifyBase = 210_000_000_000;
    public const ulong Ed25519VerifyByte = 9_000_000;
    public const ulong LogBase = 3_543_313_050;
    public const ulong LogByte = 13_198_791;
    public const ulong StorageWriteBase = 64_196_736_000;
    public const ulong StorageWriteKeyByte = 70_482_867;
    public const ulong StorageWriteValueByte = 31_018_539;
    public const ulong StorageWriteEvictedByte = 32_117_307;
    public const ulong StorageReadBase = 56_356_845_750;
    public const ulong StorageReadKeyByte = 30_952_533;
    public const ulong StorageReadValueByte = 5_611_005;
    public const ulong StorageRemoveBase = 53_473_030_500;
    public const ulong StorageRemoveKeyByte = 38_220_384;
    public const ulong StorageRemoveRetValueByte = 11_531_556;
    public const ulong StorageHasKeyBase = 54_039_896_625;
    public const ulong StorageHasKeyByte = 30_790_845;
    public const ulong TouchingTrieNode = 16_101_955_926;
    public const ulong PromiseAndBase = 1_465_013_400;
    public const ulong PromiseAndPerPromise = 5_452_176;
    public const ulong PromiseReturn = 560_152_386;

    // Action fees: (send, execution).
    public static readonly Fee ActionReceiptCreation = new(108_059_500_000, 108_059_500_000);
    public static readonly Fee DataReceiptCreationBase = new(36_486_732_312, 36_486_732_312);
    public static readonly Fee DataReceiptCreationByte = new(17_212_011, 17_212_011);
    public static readonly Fee CreateAccount = new(3_850_000_000_000, 3_850_000_000_000);
    public static readonly Fee DeployContract = new(184_765_750_000, 184_765_750_000);
    public static readonly Fee DeployContractByte = new(6_812_999, 64_572_944);
    public static readonly Fee FunctionCall = new(2_319_861_500_000, 2_319_861_500_000);
    public static readonly Fee FunctionCallByte = new(2_235_934, 2_235_934);
    public static readonly Fee Transfer = new(115_123_062_500, 115_123_062_500);
    public static readonly Fee Stake = new(141_715_687_500, 102_217_625_000);
    public static readonly Fee AddFullAccessKey = new(101_765_125_000, 101_765_125_000);
    public static readonly Fee AddFunctionCallKey = new(102_217_625_000, 102_217_625_000);
    public static readonly Fee AddFunctionCallKeyByte = new(1_925_331, 1_925_331);
    public static readonly Fee DeleteKey = new(94_946_625_000, 94_946_625_000);
    public static readonly Fee DeleteAccount = new(147_489_000_000, 147_489_000_000);

    public readonly record struct Fee(ulong Send, ulong Execution);

    /// <summary>The fee of one action (its send and execution parts), as nearcore's <c>total_send_fees</c>/<c>exec_fee</c>.</summary>
    public static Fee ActionFee(NearAction action)
    {
        switch (action)
        {
            case CreateAccountAction: return CreateAccount;
            case DeployContractAction d:
                return new(DeployContract.Send + DeployContractByte.Send * (ulong)d.Code.Length,
                    DeployContract.Execution + DeployContractByte.Execution * (ulong)d.Code.Length);
            case FunctionCallAction f:
                ulong bytes = (ulong)(System.Text.Encoding.UTF8.GetByteCount(f.MethodName) + f.Args.Length);
                return new(FunctionCall.Send + FunctionCallByte.Send * bytes, FunctionCall.Execution + FunctionCallByte.Execution * bytes);
            case TransferAction: return Transfer;
            case StakeAction: return Stake;
            case AddKeyAction { AccessKey.Permission: FunctionCallPermission p }:
                ulong names = (ulong)p.MethodNames.Sum(m => System.Text.Encoding.UTF8.GetByteCount(m) + 1);
                return new(AddFunctionCallKey.Send + AddFunctionCallKeyByte.Send * names,
                    AddFunctionCallKey.Execution + AddFunctionCallKeyByte.Execution * names);
            case AddKeyAction: return AddFullAccessKey;
            case DeleteKeyAction: return DeleteKey;
            case DeleteAccountAction: return DeleteAccount;
            default: throw new ArgumentOutOfRangeException(nameof(action), action.GetType().Name, "Unknown action.");
        }
    }

    /// <summary>Send and execution fees of a receipt carrying <paramref name="actions"/> (receipt creation included).</summary>
    public static Fee ReceiptFees(IEnumerable<NearAction> actions)
    {
        ulong send = ActionReceiptCreation.Send, exec = ActionReceiptCreation.Execution;
        foreach (var a in actions)
        {
            var f = ActionFee(a);
            send += f.Send;
            exec += f.Execution;
        }
        return new(send, exec);
    }
}
