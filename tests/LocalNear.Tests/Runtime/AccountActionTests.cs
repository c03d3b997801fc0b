using Keystore.LocalNear.Chain;
using Keystore.Near.Keys;
using Keystore.Near.Transactions;
using Xunit;

namespace Keystore.LocalNear.Tests.Runtime;

public sealed class AccountActionTests
{
    [Fact]
    public async Task Parent_creates_funds_keys_and_deploys_a_sub_account_in_one_batch()
    {
        using var h = ChainHarness.WithContract("alice.test");
        using var key = Ed25519KeyPair.Generate();
        var outcome = await h.Send("alice.test", "app.alice.test",
            new CreateAccountAction(), new TransferAction(ChainHarness.OneNear * 5), new AddKeyAction(key.PublicKey, AccessKey.FullAccess()),
            new DeployContractAction(TestContract.Wasm));
        Assert.Equal("", OutcomeAssert.SuccessText(outcome));
        var account = h.Chain.ViewAccount("app.alice.test");
        Assert.Equal(ChainHarness.OneNear * 5, account.Amount);
        Assert.Equal(System.Security.Cryptography.SHA256.HashData(TestContract.Wasm), account.CodeHash);
        Assert.Equal(key.PublicKey, Assert.Single(h.Chain.ViewAccessKeyList("app.alice.test")).PublicKey);

        // The new account signs for itself.
        var tx = new Transaction("app.alice.test", key.PublicKey, h.Chain.ViewAccessKey("app.alice.test", key.PublicKey).Nonce + 1, "app.alice.test",
            h.Chain.LatestBlock.Hash, [new FunctionCallAction("set", "mine"u8.ToArray(), 20 * ChainHarness.Tgas, 0)]).Sign(key);
        Assert.Equal("", OutcomeAssert.SuccessText(await h.Chain.SubmitAsync(tx)));
        Assert.Equal("mine", h.View("app.alice.test", "get"));
    }

    [Fact]
    public async Task Deploy_and_call_in_one_transaction_runs_the_new_code()
    {
        using var h = ChainHarness.WithContract("alice.test");
        var outcome = await h.Send("alice.test", "alice.test",
            new DeployContractAction(TestContract.Wasm), new FunctionCallAction("set", "init"u8.ToArray(), 30 * ChainHarness.Tgas, 0));
        Assert.Equal("", OutcomeAssert.SuccessText(outcome));
        Assert.Equal("init", h.View("alice.test", "get"));

        // A failing call in the same batch undoes the deploy too.
        var failing = await h.Send("alice.test", "alice.test",
            new DeployContractAction(MiscHostContract.Wasm), new FunctionCallAction("bare_panic", [], 30 * ChainHarness.Tgas, 0));
        Assert.Equal(1, OutcomeAssert.Failure(failing)["ActionError"]!["index"]!.GetValue<int>());
        Assert.Equal(System.Security.Cryptography.SHA256.HashData(TestContract.Wasm), h.Chain.ViewAccount("alice.test").CodeHash);
    }

    [Fact]
    public async Task Account_rules_fail_with_action_errors_and_refund_deposits()
    {
        using var h = ChainHarness.WithContract("alice.test", "bob.test");
        var aliceBefore = h.Chain.ViewAccount("alice.test").Amount;

        var notParent = await h.Send("alice.test", "x.bob.test", new CreateAccountAction(), new TransferAction(ChainHarness.OneNear));
        var kind = OutcomeAssert.Failure(notParent)["ActionError"]!["kind"]!["CreateAccountNotAllowed"]!;
        Assert.Equal("x.bob.test", kind["account_id"]!.GetValue<string>());
        Assert.Equal("alice.test", kind["predecessor_id"]!.GetValue<string>());
        Assert.Equal(QueryErrorKind.UnknownAccount, Assert.Throws<ChainQueryException>(() => h.Chain.ViewAccount("x.bob.test")).Kind);

        var exists = await h.Send("alice.test", "bob.test", new CreateAccountAction());
        Assert.Equal("bob.test", OutcomeAssert.Failure(exists)["ActionError"]!["kind"]!["AccountAlreadyExists"]!["account_id"]!.GetValue<string>());

        var foreign = await h.Send("alice.test", "bob.test", new DeleteKeyAction(h.KeyOf("bob.test").PublicKey));
        var actor = OutcomeAssert.Failure(foreign)["ActionError"]!["kind"]!["ActorNoPermission"]!;
        Assert.Equal("alice.test", actor["actor_id"]!.GetValue<string>());

        var missing = await h.Send("alice.test", "ghost.test", new TransferAction(ChainHarness.OneNear));
        Assert.Equal("ghost.test", OutcomeAssert.Failure(missing)["ActionError"]!["kind"]!["AccountDoesNotExist"]!["account_id"]!.GetValue<string>());

        // Only fees were spent: every deposit came back.
        ulong Burnt(FinalExecutionOutcome o) => o.TransactionOutcome.GasBurnt + o.ReceiptsOutcome.Aggregate(0UL, (s, r) => s + r.GasBurnt);
        var fees = h.Chain.GasPrice * (Burnt(notParent) + Burnt(exists) + Burnt(foreign) + Burnt(missing));
        Assert.Equal(aliceBefore - fees, h.Chain.ViewAccount("alice.test").Amount);
    }

    [Fact]
    public async Task Delete_key_that_does_not_exist_is_DeleteKeyDoesNotExist()
    {
        using var h = ChainHarness.WithContract("alice.test");
        using var key = Ed25519KeyPair.Generate();
        var outcome = await h.Send("alice.test", "alice.test", new DeleteKeyAction(key.PublicKey));
        Assert.Equal(key.PublicKey.ToString(), OutcomeAssert.Failure(outcome)["ActionError"]!["kind"]!["DeleteKeyDoesNotExist"]!["public_key"]!.GetValue<string>());
    }

    [Fact]
    public async Task Delete_account_sends_the_balance_to_the_beneficiary()
    {
        using var h = ChainHarness.WithContract("alice.test", "bob.test");
        var bob = h.Chain.ViewAccount("bob.test").Amount;
        var outcome = await h.Send("alice.test", "alice.test", new DeleteAccountAction("bob.test"));
        Assert.Equal("", OutcomeAssert.SuccessText(outcome));
        Assert.Equal(2, outcome.ReceiptsOutcome.Count);
        Assert.Equal(QueryErrorKind.UnknownAccount, Assert.Throws<ChainQueryException>(() => h.Chain.ViewAccount("alice.test")).Kind);
        Assert.True(h.Chain.ViewAccount("bob.test").Amount > bob + ChainHarness.OneNear * 99);
    }

    [Fact]
    public async Task Transfer_to_an_implicit_account_creates_it_with_its_key()
    {
        using var h = ChainHarness.WithContract("alice.test");
        using var key = Ed25519KeyPair.Generate();
        string implicitId = Convert.ToHexStringLower(key.PublicKey.Bytes.Span);
        Assert.Equal("", OutcomeAssert.SuccessText(await h.Send("alice.test", implicitId, new TransferAction(ChainHarness.OneNear))));
        Assert.Equal(ChainHarness.OneNear, h.Chain.ViewAccount(implicitId).Amount);
        Assert.Equal(key.PublicKey, Assert.Single(h.Chain.ViewAccessKeyList(implicitId)).PublicKey);
    }

    [Fact]
    public async Task Stake_is_refused_without_validators()
    {
        using var h = ChainHarness.WithContract("alice.test");
        var before = h.Chain.ViewAccount("alice.test").Amount;
        var outcome = await h.Send("alice.test", "alice.test", new StakeAction(ChainHarness.OneNear, h.KeyOf("alice.test").PublicKey));
        Assert.True(OutcomeAssert.Failure(outcome)["ActionError"]!["kind"]!.AsObject().ContainsKey("InsufficientStake"));
        Assert.Equal(UInt128.Zero, h.Chain.ViewAccount("alice.test").Locked);
        ulong burnt = outcome.TransactionOutcome.GasBurnt + outcome.ReceiptsOutcome.Aggregate(0UL, (s, o) => s + o.GasBurnt);
        Assert.Equal(before - h.Chain.GasPrice * burnt, h.Chain.ViewAccount("alice.test").Amount);
    }
}
