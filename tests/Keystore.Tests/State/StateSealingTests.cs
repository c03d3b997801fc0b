using System.Security.Cryptography;
using System.Text;
using Keystore.Boot;
using Keystore.MasterSecrets;
using Keystore.Problems;
using Keystore.State;
using NSec.Cryptography;

namespace Keystore.Tests.State;

public class StateSealingTests
{
    private static StateSealer Sealer(byte[] master)
    {
        var state = new KeystoreState(TimeProvider.System);
        state.SetMasterSecret(new MasterSecret(master), "test");
        return new StateSealer(state);
    }

    [Fact]
    public void Values_are_sealed_with_XChaCha20_Poly1305_under_HMAC_of_the_master_secret_and_bound_to_their_row()
    {
        byte[] master = RandomNumberGenerator.GetBytes(32);
        using StateSealer sealer = Sealer(master);
        byte[] rowId = RandomNumberGenerator.GetBytes(32);
        byte[] sealedValue = sealer.Seal("agents", rowId, 7, "policy"u8);

        // Opened here with the key computed by .NET's own HMAC and the documented associated data: label|table|row id|version (big-endian).
        byte[] key = HMACSHA256.HashData(master, Encoding.ASCII.GetBytes("near-tee-keystore:v1:state"));
        byte[] ad = [.. Encoding.ASCII.GetBytes("near-tee-keystore:v1:state|agents|"), .. rowId, 0, 0, 0, 0, 0, 0, 0, 7];
        using var aeadKey = Key.Import(AeadAlgorithm.XChaCha20Poly1305, key, KeyBlobFormat.RawSymmetricKey);
        byte[]? opened = AeadAlgorithm.XChaCha20Poly1305.Decrypt(aeadKey, sealedValue.AsSpan(0, 24), ad, sealedValue.AsSpan(24));
        Assert.Equal("policy"u8.ToArray(), opened);
        Assert.Equal("policy"u8.ToArray(), sealer.Open("agents", rowId, 7, sealedValue));
    }

    [Theory]
    [InlineData("accounts", 0, 7)]
    [InlineData("agents", 1, 7)]
    [InlineData("agents", 0, 6)]
    public void A_sealed_value_does_not_open_as_another_table_row_or_version(string table, int otherRow, long version)
    {
        using StateSealer sealer = Sealer(RandomNumberGenerator.GetBytes(32));
        byte[][] rows = [RandomNumberGenerator.GetBytes(32), RandomNumberGenerator.GetBytes(32)];
        byte[] sealedValue = sealer.Seal("agents", rows[0], 7, "policy"u8);
        ProblemException refused = Assert.Throws<ProblemException>(() => sealer.Open(table, rows[otherRow], version, sealedValue));
        Assert.Equal("state-tampered", refused.Problem.Slug);
    }

    [Fact]
    public void A_value_sealed_under_another_master_secret_or_changed_by_one_bit_does_not_open()
    {
        byte[] rowId = RandomNumberGenerator.GetBytes(32);
        using StateSealer a = Sealer(RandomNumberGenerator.GetBytes(32));
        using StateSealer b = Sealer(RandomNumberGenerator.GetBytes(32));
        byte[] sealedValue = a.Seal("agents", rowId, 1, "policy"u8);
        Assert.Equal("state-tampered", Assert.Throws<ProblemException>(() => b.Open("agents", rowId, 1, sealedValue)).Problem.Slug);
        sealedValue[^1] ^= 1;
        Assert.Equal("state-tampered", Assert.Throws<ProblemException>(() => a.Open("agents", rowId, 1, sealedValue)).Problem.Slug);
    }

    [Fact]
    public void Row_ids_are_HMACs_under_a_derived_index_key_and_the_same_on_every_instance()
    {
        byte[] master = RandomNumberGenerator.GetBytes(32);
        using StateSealer one = Sealer(master), two = Sealer(master);
        byte[] indexKey = HMACSHA256.HashData(master, Encoding.ASCII.GetBytes("near-tee-keystore:v1:state-index"));
        byte[] expected = HMACSHA256.HashData(indexKey, Encoding.UTF8.GetBytes("account\0alice.near"));
        Assert.Equal(expected, one.RowId("account", "alice.near"));
        Assert.Equal(expected, two.RowId("account", "alice.near"));
        Assert.NotEqual(expected, one.RowId("account", "alice.nea"));
    }

    [Fact]
    public void Stable_row_ids_are_the_same_HMACs_and_follow_a_new_master_secret()
    {
        byte[] first = RandomNumberGenerator.GetBytes(32), second = RandomNumberGenerator.GetBytes(32);
        var state = new KeystoreState(TimeProvider.System);
        state.SetMasterSecret(new MasterSecret(first), "test");
        using var sealer = new StateSealer(state);
        byte[] Expected(byte[] master, string text) =>
            HMACSHA256.HashData(HMACSHA256.HashData(master, Encoding.ASCII.GetBytes("near-tee-keystore:v1:state-index")), Encoding.UTF8.GetBytes(text));

        Assert.Equal(Expected(first, "account\0alice.near"), sealer.StableRowId("account", "alice.near"));
        Assert.Equal(Expected(first, "account\0alice.near"), sealer.StableRowId("account", "alice.near"));
        Assert.Equal(Expected(first, "audit-agent\0alice.near\0ed25519:x"), sealer.StableRowId("audit-agent", "alice.near", "ed25519:x"));
        // Kept by the whole text: a name one letter shorter is another id.
        Assert.NotEqual(sealer.StableRowId("account", "alice.near"), sealer.StableRowId("account", "alice.nea"));

        // Past its capacity the set starts over, and every id is still right.
        for (int i = 0; i <= StateSealer.StableRowIdCapacity; i++)
            sealer.StableRowId("account", "a" + i);
        Assert.Equal(Expected(first, "account\0a7"), sealer.StableRowId("account", "a7"));

        // A new master secret (a re-provisioned keystore): the ids are the new key's at once, none of the old key's kept.
        state.SetMasterSecret(new MasterSecret(second), "test");
        Assert.Equal(Expected(second, "account\0alice.near"), sealer.StableRowId("account", "alice.near"));
        Assert.Equal(sealer.RowId("account", "a7"), sealer.StableRowId("account", "a7"));
    }

    [Fact]
    public void Without_a_master_secret_the_store_is_not_ready()
    {
        using var sealer = new StateSealer(new KeystoreState(TimeProvider.System));
        Assert.Equal("not-ready", Assert.Throws<ProblemException>(() => sealer.RowId("account", "alice.near")).Problem.Slug);
    }
}
