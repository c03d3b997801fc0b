using System.Text.Json.Nodes;
using Keystore.LocalNear.Chain;
using Keystore.Near.Keys;
using Keystore.Near.Transactions;
using Xunit;

namespace Keystore.LocalNear.Tests.Runtime;

public sealed class TransactionValidationTests
{
    private static readonly NearAction SmallTransfer = new TransferAction(1);

    /// <summary>Submits, expects a rejection, and checks that neither the signer nor the chain moved.</summary>
    private static async Task<JsonObject> Rejected(ChainHarness h, SignedTransaction tx, string signer = "alice.test")
    {
        var account = Snapshot(h.Chain.ViewAccount(signer));
        var keys = h.Chain.ViewAccessKeyList(signer).Select(k => (k.PublicKey.ToString(), k.AccessKey)).ToList();
        var height = h.Chain.LatestBlock.Height;
        var e = await Assert.ThrowsAsync<InvalidTransactionException>(() => h.Chain.SubmitAsync(tx));
        Assert.Equal(account, Snapshot(h.Chain.ViewAccount(signer)));
        Assert.Equal(keys, h.Chain.ViewAccessKeyList(signer).Select(k => (k.PublicKey.ToString(), k.AccessKey)).ToList());
        Assert.Equal(height, h.Chain.LatestBlock.Height);
        Assert.Null(h.Chain.FindTransaction(tx.Transaction.Hash()));
        return e.Error;
    }

    private static (UInt128, UInt128, ulong, string) Snapshot(AccountView a) => (a.Amount, a.Locked, a.StorageUsage, Convert.ToHexString(a.CodeHash));

    [Fact]
    public async Task Bad_signature_is_InvalidSignature()
    {
        using var h = ChainHarness.WithContract("alice.test", "bob.test");
        var good = h.Sign("alice.test", "bob.test", [SmallTransfer]);
        var forged = new SignedTransaction(good.Transaction, h.KeyOf("bob.test").Sign(good.Transaction.Hash()));
        var error = await Rejected(h, forged);
        Assert.True(error.ContainsKey("InvalidSignature"));
    }

    [Fact]
    public async Task Unknown_signer_is_SignerDoesNotExist()
    {
        using var h = ChainHarness.WithContract("alice.test");
        var key = h.KeyOf("alice.test");
        var tx = new Transaction("ghost.test", key.PublicKey, 1, "alice.test", h.Chain.LatestBlock.Hash, [SmallTransfer]).Sign(key);
        var error = await Assert.ThrowsAsync<InvalidTransactionException>(() => h.Chain.SubmitAsync(tx));
        Assert.Equal("ghost.test", error.Error["SignerDoesNotExist"]!["signer_id"]!.GetValue<string>());
    }

    [Fact]
    public async Task Unknown_key_is_AccessKeyNotFound()
    {
        using var h = ChainHarness.WithContract("alice.test", "bob.test");
        using var stranger = Ed25519KeyPair.Generate();
        var error = await Rejected(h, h.Sign("alice.test", "bob.test", [SmallTransfer], key: stranger, nonce: 1));
        var body = error["InvalidAccessKeyError"]!["AccessKeyNotFound"]!;
        Assert.Equal("alice.test", body["account_id"]!.GetValue<string>());
        Assert.Equal(stranger.PublicKey.ToString(), body["public_key"]!.GetValue<string>());
    }

    [Fact]
    public async Task Reused_nonce_is_InvalidNonce()
    {
        using var h = ChainHarness.WithContract("alice.test", "bob.test");
        await h.Chain.SubmitAsync(h.Sign("alice.test", "bob.test", [SmallTransfer], nonce: 7));
        var error = await Rejected(h, h.Sign("alice.test", "bob.test", [new TransferAction(2)], nonce: 7));
        Assert.Equal(7UL, error["InvalidNonce"]!["tx_nonce"]!.GetValue<ulong>());
        Assert.Equal(7UL, error["InvalidNonce"]!["ak_nonce"]!.GetValue<ulong>());
    }

    [Fact]
    public async Task Nonce_beyond_the_height_bound_is_NonceTooLarge()
    {
        using var h = ChainHarness.WithContract("alice.test", "bob.test");
        ulong bound = (h.Chain.LatestBlock.Height + 1) * 1_000_000;
        var error = await Rejected(h, h.Sign("alice.test", "bob.test", [SmallTransfer], nonce: bound));
        Assert.Equal(bound, error["NonceTooLarge"]!["upper_bound"]!.GetValue<ulong>());
        Assert.Equal(bound, error["NonceTooLarge"]!["tx_nonce"]!.GetValue<ulong>());
    }

    [Fact]
    public async Task Unknown_block_hash_is_Expired()
    {
        using var h = ChainHarness.WithContract("alice.test", "bob.test");
        var error = await Rejected(h, h.Sign("alice.test", "bob.test", [SmallTransfer], blockHash: new byte[32]));
        Assert.True(error.ContainsKey("Expired"));
    }

    [Fact]
    public async Task Too_expensive_is_NotEnoughBalance_with_amounts_as_strings()
    {
        using var h = ChainHarness.WithContract("alice.test", "bob.test");
        var balance = h.Chain.ViewAccount("alice.test").Amount;
        var error = await Rejected(h, h.Sign("alice.test", "bob.test", [new TransferAction(balance)]));
        var body = error["NotEnoughBalance"]!;
        Assert.Equal("alice.test", body["signer_id"]!.GetValue<string>());
        Assert.Equal(balance.ToString(), body["balance"]!.GetValue<string>());
        Assert.True(UInt128.Parse(body["cost"]!.GetValue<string>()) > balance);
    }

    [Fact]
    public async Task Spending_the_storage_stake_is_LackBalanceForState()
    {
        using var h = ChainHarness.WithContract("alice.test", "bob.test");
        var account = h.Chain.ViewAccount("alice.test");
        // Leaves less than storage_usage × 10^19 yocto behind.
        var error = await Rejected(h, h.Sign("alice.test", "bob.test", [new TransferAction(account.Amount - UInt128.Parse("100000000000000000000"))]));
        Assert.Equal("alice.test", error["LackBalanceForState"]!["signer_id"]!.GetValue<string>());
    }

    [Fact]
    public async Task Gas_over_300_Tgas_and_zero_gas_are_ActionsValidation_errors()
    {
        using var h = ChainHarness.WithContract("alice.test");
        var tooMuch = await Rejected(h, h.Sign("alice.test", "contract.test", [new FunctionCallAction("get", [], 301 * ChainHarness.Tgas, 0)]));
        Assert.Equal(300 * ChainHarness.Tgas, tooMuch["ActionsValidation"]!["TotalPrepaidGasExceeded"]!["limit"]!.GetValue<ulong>());
        var zero = await Rejected(h, h.Sign("alice.test", "contract.test", [new FunctionCallAction("get", [], 0, 0)]));
        Assert.Equal("FunctionCallZeroAttachedGas", zero["ActionsValidation"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_valid_transfer_charges_the_signer_fees_and_bumps_the_nonce()
    {
        using var h = ChainHarness.WithContract("alice.test", "bob.test");
        var alice = h.Chain.ViewAccount("alice.test").Amount;
        var bob = h.Chain.ViewAccount("bob.test").Amount;
        var outcome = await h.Chain.SubmitAsync(h.Sign("alice.test", "bob.test", [new TransferAction(12345)], nonce: 42));
        Assert.Equal("", OutcomeAssert.SuccessText(outcome));
        Assert.Equal(42UL, h.Chain.ViewAccessKey("alice.test", h.KeyOf("alice.test").PublicKey).Nonce);
        Assert.Equal(bob + 12345, h.Chain.ViewAccount("bob.test").Amount);
        ulong burnt = outcome.TransactionOutcome.GasBurnt + outcome.ReceiptsOutcome.Aggregate(0UL, (s, o) => s + o.GasBurnt);
        // NEAR's transfer fee: receipt creation + transfer, each sent and executed.
        Assert.Equal(2 * (108_059_500_000UL + 115_123_062_500UL), burnt);
        Assert.Equal(alice - 12345 - h.Chain.GasPrice * burnt, h.Chain.ViewAccount("alice.test").Amount);
    }
}
