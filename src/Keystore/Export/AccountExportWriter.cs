using System.Globalization;
using System.Security.Cryptography;
using Keystore.Chains;
using Keystore.Chains.Bitcoin;
using Keystore.Derivation;
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
                ExportedKey wanted = request.Keys[i];
                IChainSigner chain = wanted.Chain;
                using SigningKey key = AccountKeyDeriver.Derive(master, account, chain, wanted.Index);
                text.Append(i == 0 ? "\n    {" : ",\n    {")
                    .Append("\"chain\": \"").Append(chain.Name)
                    .Append("\", \"index\": ").Append(wanted.Index.ToString(CultureInfo.InvariantCulture))
                    .Append(", \"path\": \"").Append(chain.DerivationPath(wanted.Index))
                    .Append("\", \"address\": \"").Append(chain.Describe(key.PublicKey).Address)
                    .Append("\", \"format\": \"").Append(WalletKeyFormat.Name(chain))
                    .Append("\", \"privateKey\": \"");
                WalletKeyFormat.Append(text, chain, key, network);
                text.Append("\"}");
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
