#:project ../../clients/dotnet/Keystore.Client/Keystore.Client.csproj
// An agent signing with the NEAR TEE keystore through the C# client: an EIP-1559 transfer, a Solana transfer and a PSBT.
// Against ./run.sh: `dotnet run agent.cs` (defaults below); elsewhere set KEYSTORE_URL, KEYSTORE_CREDENTIALS (a NEAR CLI
// credentials file of a full-access key of the account) and KEYSTORE_BITCOIN_NETWORK.
using System.Buffers.Binary;
using Keystore.Client;

string url = Environment.GetEnvironmentVariable("KEYSTORE_URL") ?? "http://127.0.0.1:8080";
string credentials = Environment.GetEnvironmentVariable("KEYSTORE_CREDENTIALS")
    ?? Path.Combine(AppContext.GetData("EntryPointFileDirectoryPath") as string ?? ".", "../../.local-run/near-credentials/localnet/alice.test.near.json");

(string accountId, NearKeyPair key) = NearKeyPair.FromCredentialsFile(credentials);
using (key)
{
    var keystore = new KeystoreClient(new HttpClient { BaseAddress = new Uri(url) }, accountId, key);
    Console.WriteLine($"agent for {accountId} on {url}");

    // 1. Ethereum: an EIP-1559 transfer of 0.01 ETH on Sepolia.
    KeyInfo eth = await keystore.GetKeyAsync("ethereum");
    SignedEthereumTransaction signed = await keystore.SignEthereumTransactionAsync(new EthereumTransactionRequest
    {
        ChainId = "11155111", Nonce = "0", To = "0x000000000000000000000000000000000000dEaD", Value = "10000000000000000",
        Gas = "21000", MaxFeePerGas = "30000000000", MaxPriorityFeePerGas = "1000000000",
    });
    Console.WriteLine($"ethereum  {eth.Address}  signed {signed.Hash}");

    // 2. Solana: a legacy transfer message of 5000 lamports with this account's key as fee payer.
    KeyInfo sol = await keystore.GetKeyAsync("solana");
    SolanaSignature solSignature = await keystore.SignSolanaMessageAsync(SolanaTransfer(Base58Decode(sol.Address), new byte[32].Select(_ => (byte)3).ToArray(), 5000));
    Console.WriteLine($"solana    {sol.Address}  signed {solSignature.Signature}");

    // 3. Bitcoin: a PSBT spending a (made-up) output of this account's Taproot address.
    KeyInfo btc = await keystore.GetKeyAsync("bitcoin");
    SignedPsbt psbt = await keystore.SignPsbtAsync(Convert.ToBase64String(Psbt(TaprootScript(btc.Address), 50_000, 40_000)));
    Console.WriteLine($"bitcoin   {btc.Address}  signed inputs {string.Join(',', psbt.SignedInputs)}  psbt {psbt.Psbt[..24]}…");
}

// A legacy Solana message: header, [payer, to, system program], blockhash, one SystemProgram.transfer.
static byte[] SolanaTransfer(byte[] payer, byte[] to, ulong lamports)
{
    var data = new byte[12];
    BinaryPrimitives.WriteUInt32LittleEndian(data, 2);
    BinaryPrimitives.WriteUInt64LittleEndian(data.AsSpan(4), lamports);
    byte[] blockhash = [.. Enumerable.Repeat((byte)9, 32)];
    return [1, 0, 1, 3, .. payer, .. to, .. new byte[32], .. blockhash, 1, 2, 2, 0, 1, (byte)data.Length, .. data];
}

// BIP174 v0: the unsigned transaction, and the input's witness UTXO (this key's P2TR output).
static byte[] Psbt(byte[] script, ulong inputAmount, ulong outputAmount)
{
    byte[] prevTxid = [.. Enumerable.Repeat((byte)1, 32)];
    byte[] tx = [2, 0, 0, 0, 1, .. prevTxid, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 1, .. U64(outputAmount), (byte)script.Length, .. script, 0, 0, 0, 0];
    return [0x70, 0x73, 0x62, 0x74, 0xff, 1, 0x00, (byte)tx.Length, .. tx, 0x00,
        1, 0x01, (byte)(8 + 1 + script.Length), .. U64(inputAmount), (byte)script.Length, .. script, 0x00,
        0x00];
}

static byte[] U64(ulong value)
{
    var bytes = new byte[8];
    BinaryPrimitives.WriteUInt64LittleEndian(bytes, value);
    return bytes;
}

// OP_1 <32-byte output key>, from the bech32m address the keystore gave (its checksum is the keystore's business here).
static byte[] TaprootScript(string address)
{
    const string charset = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
    string data = address[(address.LastIndexOf('1') + 1)..^6];
    int acc = 0, bits = 0;
    var program = new List<byte>();
    foreach (char c in data[1..])
    {
        acc = (acc << 5) | charset.IndexOf(c, StringComparison.Ordinal);
        bits += 5;
        if (bits >= 8) { bits -= 8; program.Add((byte)(acc >> bits)); acc &= (1 << bits) - 1; }
    }
    return [0x51, 0x20, .. program];
}

static byte[] Base58Decode(string text)
{
    const string alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
    System.Numerics.BigInteger value = 0;
    foreach (char c in text) value = value * 58 + alphabet.IndexOf(c, StringComparison.Ordinal);
    byte[] body = value.ToByteArray(isUnsigned: true, isBigEndian: true);
    return [.. new byte[text.TakeWhile(c => c == '1').Count()], .. body];
}
