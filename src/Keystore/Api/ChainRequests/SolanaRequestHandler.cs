using System.Text.Json;
using System.Text.Json.Nodes;
using Keystore.Chains;
using Keystore.Chains.Solana;

namespace Keystore.Api.ChainRequests;

/// <summary>
/// <c>POST …/sign/solana</c>, exactly one of:
/// <list type="bullet">
/// <item><c>{"message": text}</c>: a serialized legacy or v0 message (web3.js <c>Transaction.serializeMessage()</c>,
/// <c>VersionedTransaction.message.serialize()</c>) → <c>{signature: base58}</c>;</item>
/// <item><c>{"transaction": text}</c>: a wire transaction, signed or not (<c>serialize({requireAllSignatures: false})</c>,
/// <c>VersionedTransaction.serialize()</c>); this key's slot is filled, the others kept → <c>{signature: base58, signedTransaction: text}</c>;</item>
/// <item><c>{"offchainMessage": text}</c>: see <see cref="SolanaOffchainSigning"/> → <c>{signature: base58}</c>.</item>
/// </list>
/// Text is base64, or base58 with <c>"encoding": "base58"</c>; <c>signedTransaction</c> comes back in the request's encoding.
/// </summary>
public sealed class SolanaRequestHandler(SolanaSigner signer) : IChainRequestHandler
{
    public string Chain => signer.Name;

    public JsonObject Sign(SigningKey key, JsonElement request)
    {
        if (SolanaOffchainSigning.IsRequest(request))
        {
            SolanaOffchainMessage offchain = SolanaOffchainSigning.Read(request);
            return new JsonObject { ["signature"] = Base58.Encode(signer.SignOffchainMessage(key, offchain)) };
        }
        var (member, value) = ChainRequestJson.SingleMember(request, "message", "transaction");
        SolanaTextEncoding encoding = SolanaRequestText.Encoding(request);
        if (member == "message")
        {
            const ChainError problem = ChainError.InvalidMessage;
            SolanaMessage message = SolanaMessage.Parse(SolanaRequestText.Bytes(value, member, encoding, problem), problem);
            return new JsonObject { ["signature"] = Base58.Encode(signer.SignMessage(key, message)) };
        }
        else
        {
            const ChainError problem = ChainError.InvalidTransaction;
            SolanaTransaction transaction = SolanaTransaction.Parse(SolanaRequestText.Bytes(value, member, encoding, problem), problem);
            SolanaSignedTransaction signed = signer.SignTransaction(key, transaction);
            return new JsonObject
            {
                ["signature"] = Base58.Encode(signed.Signature),
                ["signedTransaction"] = SolanaText.Encode(signed.WireTransaction, encoding),
            };
        }
    }
}
