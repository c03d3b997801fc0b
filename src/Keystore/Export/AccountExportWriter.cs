using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using Keystore.Chains;
using Keystore.Chains.Bitcoin;
using Keystore.Derivation;
using Keystore.Derivation.BIP32;
using Keystore.Derivation.BIP39;
using Keystore.MasterSecrets;

namespace Keystore.Export;

/// <summary>
/// Writes the plaintext of an export, a small JSON document a person can read after <c>age --decrypt</c>:
/// <code>
/// {
///   "format": "near-tee-keystore-export/v1",
///   "account": "alice.near",
///   "mnemonic": "24 words",
///   "bip39Passphrase": "",
///   "keys": [{"chain": "ethereum", "index": 0, "path": "m/44'/60'/0'/0/0", "address": "0x…", "format": "hex", "privateKey": "0x…"}]
/// }
/// </code>
/// Every value is ASCII without characters JSON escapes (account ids, BIP39 words, paths, addresses, key
/// encodings), so it is written byte by byte into a wiped buffer. This is the export's only use of the
/// derivation API.
/// </summary>
public static class AccountExportWriter
{
    public const string Format = "near-tee-keystore-export/v1";

    public static SecretText Write(MasterSecret master, string account, ExportRequest request, BitcoinNetwork network)
    {
        var text = new SecretText();
        try
        {
            text.Append("{\n  \"format\": \"").Append(Format).Append("\",\n  \"account\": \"").Append(account).Append("\"");
            if (request.IncludeMnemonic)
            {
                text.Append(",\n  \"mnemonic\": \"");
                AppendMnemonic(text, master, account);
                text.Append("\",\n  \"bip39Passphrase\": \"\"");
            }
            text.Append(",\n  \"keys\": [");
            for (int i = 0; i < request.Keys.Count; i++)
            {
                text.Append(i == 0 ? "\n    {" : ",\n    {");
                if (request.Keys[i].AccountXprv)
                    AppendBitcoinAccountKey(text, master, account, network);
                else
                    AppendIndexKey(text, master, account, request.Keys[i], network);
                text.Append("}");
            }
            text.Append(request.Keys.Count == 0 ? "]\n}\n" : "\n  ]\n}\n");
            return text;
        }
        catch
        {
            text.Dispose();
            throw;
        }
    }

    private static void AppendIndexKey(SecretText text, MasterSecret master, string account, ExportedKey wanted, BitcoinNetwork network)
    {
        IChainSigner chain = wanted.Chain;
        using SigningKey key = AccountKeyDeriver.Derive(master, account, chain, wanted.Index);
        text.Append("\"chain\": \"").Append(chain.Name)
            .Append("\", \"index\": ").Append(wanted.Index.ToString(CultureInfo.InvariantCulture))
            .Append(", \"path\": \"").Append(chain.DerivationPath(wanted.Index).ToString())
            .Append("\", \"address\": \"").Append(chain.Describe(key.PublicKey).Address)
            .Append("\", \"format\": \"").Append(WalletKeyFormat.Name(chain))
            .Append("\", \"privateKey\": \"");
        WalletKeyFormat.Append(text, chain, key, network);
        text.Append("\"");
    }

    /// <summary>
    /// The BIP86 account key m/86'/c'/0' as a BIP32 xprv (tprv off mainnet), with the master key's fingerprint so
    /// a descriptor wallet can be written: <c>tr([fingerprint/86h/0h/0h]xprv…/0/*)</c>.
    /// </summary>
    private static void AppendBitcoinAccountKey(SecretText text, MasterSecret master, string account, BitcoinNetwork network)
    {
        string path = network == BitcoinNetwork.Mainnet ? "m/86'/0'/0'" : "m/86'/1'/0'";
        Span<byte> seed = stackalloc byte[64];
        Span<byte> serialized = stackalloc byte[78];
        Span<byte> masterPublic = stackalloc byte[33];
        try
        {
            AccountKeyDeriver.DeriveAccountSeed(master, account, seed);
            uint fingerprint;
            using (ExtendedPrivateKey root = Bip32.CreateMaster(seed))
            {
                Secp256k1.GetPublicKey(root.PrivateKey, masterPublic);
                fingerprint = Bip32.Fingerprint(masterPublic);
            }
            // BIP32 serialization names the parent (m/86'/coin') by the fingerprint of its public key.
            uint parentFingerprint;
            using ExtendedPrivateKey parent = Bip32.Derive(seed, DerivationPath.Parse(path[..path.LastIndexOf('/')]));
            Secp256k1.GetPublicKey(parent.PrivateKey, masterPublic);
            parentFingerprint = Bip32.Fingerprint(masterPublic);
            using ExtendedPrivateKey key = Bip32.DeriveChild(parent, 0x8000_0000u)
                ?? throw new InvalidOperationException("BIP32 derivation gave an invalid key (probability 2^-127).");
            BinaryPrimitives.WriteUInt32BigEndian(serialized, network == BitcoinNetwork.Mainnet ? 0x0488ADE4u : 0x04358394u);
            serialized[4] = key.Depth;
            BinaryPrimitives.WriteUInt32BigEndian(serialized[5..], parentFingerprint);
            BinaryPrimitives.WriteUInt32BigEndian(serialized[9..], key.ChildNumber);
            key.ChainCode.CopyTo(serialized[13..]);
            serialized[45] = 0;
            key.PrivateKey.CopyTo(serialized[46..]);
            text.Append("\"chain\": \"bitcoin\", \"path\": \"").Append(path)
                .Append("\", \"masterFingerprint\": \"").Append(fingerprint.ToString("x8", CultureInfo.InvariantCulture))
                .Append("\", \"format\": \"xprv\", \"privateKey\": \"");
            SecretBase58.AppendChecked(text, serialized);
            text.Append("\"");
        }
        finally
        {
            CryptographicOperations.ZeroMemory(seed);
            CryptographicOperations.ZeroMemory(serialized);
        }
    }

    private static void AppendMnemonic(SecretText text, MasterSecret master, string account)
    {
        Span<byte> entropy = stackalloc byte[32];
        try
        {
            AccountKeyDeriver.DeriveAccountEntropy(master, account, entropy);
            Span<byte> target = text.Reserve(Bip39.MaxMnemonicBytes);
            int length = Bip39.WriteMnemonic(entropy, target);
            text.Shrink(Bip39.MaxMnemonicBytes - length);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(entropy);
        }
    }
}
