using System.Text.Json.Nodes;
using Keystore.LocalNear.Chain;
using Keystore.Near.Encoding;
using Keystore.Near.Transactions;

namespace Keystore.LocalNear.Runtime;

/// <summary>
/// The checks nearcore makes before a transaction becomes a receipt (<c>validate_transaction</c> then
/// <c>verify_and_charge_transaction</c>, in that order), each failing with NEAR's <c>InvalidTxError</c>.
/// Validation reads the state only; <see cref="Charge"/> applies the result.
/// </summary>
internal static class TransactionValidator
{
    /// <summary>nearcore's transaction_validity_period (blocks) on mainnet and localnet genesis.</summary>
    public const ulong ValidityPeriod = 86_400;

    /// <summary>nearcore's ACCESS_KEY_NONCE_RANGE_MULTIPLIER.</summary>
    public const ulong AccessKeyNonceRangeMultiplier = 1_000_000;

    public sealed record Verdict(AccountRecord Signer, AccessKey AccessKey, ulong SendGas, UInt128 Cost);

    public static Verdict Validate(SignedTransaction signed, ChainState state, Func<byte[], BlockView?> findBlock, BlockView latest, UInt128 gasPrice)
    {
        var tx = signed.Transaction;
        if (!signed.VerifySignature()) throw NearErrors.InvalidSignature();
        if (!AccountId.IsValid(tx.SignerId)) throw NearErrors.InvalidSignerId(tx.SignerId);
        if (!AccountId.IsValid(tx.ReceiverId)) throw NearErrors.InvalidReceiverId(tx.ReceiverId);
        var baseBlock = findBlock(tx.BlockHash);
        if (baseBlock is null || latest.Height - baseBlock.Height > ValidityPeriod) throw NearErrors.Expired();
        ValidateActions(tx.Actions);

        var signer = state.Get(tx.SignerId) ?? throw NearErrors.SignerDoesNotExist(tx.SignerId);
        if (!signer.AccessKeys.TryGetValue(tx.PublicKey, out var key)) throw NearErrors.AccessKeyNotFound(tx.SignerId, tx.PublicKey);
        if (tx.Nonce <= key.Nonce) throw NearErrors.InvalidNonce(tx.Nonce, key.Nonce);
        // nearcore bounds nonces by the height of the block that includes the transaction, so a key added by a
        // contract (nonce (h - 1) × 10^6) cannot have transactions pre-signed far into its future.
        ulong upperBound = (latest.Height + 1) * AccessKeyNonceRangeMultiplier;
        if (tx.Nonce >= upperBound) throw NearErrors.NonceTooLarge(tx.Nonce, upperBound);

        var fees = GasSchedule.ReceiptFees(tx.Actions);
        ulong prepaid = tx.Actions.OfType<FunctionCallAction>().Aggregate(0UL, (s, f) => s + f.Gas);
        UInt128 deposits = tx.Actions.Aggregate(UInt128.Zero, (s, a) => s + a switch
        {
            FunctionCallAction f => f.Deposit,
            TransferAction t => t.Deposit,
            _ => UInt128.Zero, // a stake is locked from the balance when applied, not paid up front (nearcore's total_deposit)
        });
        UInt128 gasCost = gasPrice * ((UInt128)fees.Send + fees.Execution + prepaid);
        UInt128 cost = gasCost + deposits;
        if (signer.Amount < cost) throw NearErrors.NotEnoughBalance(tx.SignerId, signer.Amount, cost);
        if (key.Permission is FunctionCallPermission { Allowance: { } allowance } && allowance < gasCost)
            throw NearErrors.NotEnoughAllowance(tx.SignerId, tx.PublicKey, allowance, gasCost);
        var remaining = signer.Amount - cost;
        if (remaining + signer.Locked < signer.StorageCost)
            throw NearErrors.LackBalanceForState(tx.SignerId, signer.StorageCost - remaining - signer.Locked);

        if (key.Permission is FunctionCallPermission permission)
        {
            if (tx.Actions is not [FunctionCallAction call]) throw NearErrors.RequiresFullAccess();
            if (call.Deposit > 0) throw NearErrors.DepositWithFunctionCall();
            if (tx.ReceiverId != permission.ReceiverId) throw NearErrors.ReceiverMismatch(tx.ReceiverId, permission.ReceiverId);
            if (permission.MethodNames.Count > 0 && !permission.MethodNames.Contains(call.MethodName)) throw NearErrors.MethodNameMismatch(call.MethodName);
        }
        return new Verdict(signer, key, fees.Send, cost);
    }

    /// <summary>Takes the cost from the signer, bumps the key's nonce and spends its allowance (gas part only, as nearcore).</summary>
    public static void Charge(SignedTransaction signed, Verdict verdict, ChainState state)
    {
        var tx = signed.Transaction;
        state.SetAmount(verdict.Signer, verdict.Signer.Amount - verdict.Cost);
        var permission = verdict.AccessKey.Permission;
        if (permission is FunctionCallPermission { Allowance: { } allowance } fc)
            permission = fc with { Allowance = allowance - verdict.Cost }; // a function-call key transaction carries no deposit
        state.SetAccessKey(verdict.Signer, tx.PublicKey, new AccessKey(tx.Nonce, permission));
    }

    private static void ValidateActions(IReadOnlyList<NearAction> actions)
    {
        ulong total = 0;
        for (int i = 0; i < actions.Count; i++)
        {
            switch (actions[i])
            {
                case DeleteAccountAction when i != actions.Count - 1:
                    throw NearErrors.ActionsValidation(JsonValueOf("DeleteActionMustBeFinal"), "DeleteAccount must be the last action.");
                case FunctionCallAction { Gas: 0 }:
                    throw NearErrors.ActionsValidation(JsonValueOf("FunctionCallZeroAttachedGas"), "A function call must attach gas.");
                case FunctionCallAction f:
                    total += f.Gas;
                    if (total > GasSchedule.MaxTotalPrepaidGas || total < f.Gas)
                        throw NearErrors.ActionsValidation(new JsonObject
                        {
                            ["TotalPrepaidGasExceeded"] = new JsonObject { ["total_prepaid_gas"] = total, ["limit"] = GasSchedule.MaxTotalPrepaidGas },
                        }, $"Total prepaid gas {total} exceeds the limit {GasSchedule.MaxTotalPrepaidGas}.");
                    break;
            }
        }
    }

    private static JsonNode JsonValueOf(string text) => JsonValue.Create(text);
}
