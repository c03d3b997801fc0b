using System.Text.Json.Nodes;
using Keystore.LocalNear.Chain;
using Keystore.Near.Encoding;

namespace Keystore.LocalNear.Rpc;

/// <summary>
/// Resolves nearcore's <c>BlockReference</c>: <c>{"finality": …}</c>, <c>{"block_id": height | hash}</c> or
/// <c>{"sync_checkpoint": "genesis" | "earliest_available"}</c>. Every block here is final as soon as it exists,
/// so all finality levels mean the latest block.
/// </summary>
public static class BlockSelector
{
    public static BlockView Resolve(ILocalChain chain, JsonObject parameters)
    {
        if (parameters["block_id"] is JsonNode blockId) return ById(chain, blockId);
        if (parameters["finality"] is JsonNode finality)
        {
            string? f = finality is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
            if (f is not ("final" or "optimistic" or "near-final"))
                throw RpcErrors.ParseError($"unknown finality '{finality.ToJsonString()}', expected one of optimistic, near-final, final");
            return chain.LatestBlock;
        }
        if (parameters["sync_checkpoint"] is JsonNode checkpoint)
        {
            string? c = checkpoint is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
            return c switch
            {
                "genesis" or "earliest_available" => Genesis(chain),
                _ => throw RpcErrors.ParseError($"unknown sync_checkpoint '{checkpoint.ToJsonString()}'"),
            };
        }
        return chain.LatestBlock;
    }

    /// <summary>A <c>BlockId</c>: a height (number) or a base58 block hash; null means the latest block.</summary>
    public static BlockView ById(ILocalChain chain, JsonNode? blockId)
    {
        switch (blockId)
        {
            case null:
                return chain.LatestBlock;
            case JsonValue v when v.TryGetValue<ulong>(out var height):
                return chain.GetBlock(height) ?? throw RpcErrors.UnknownBlock(new JsonObject { ["block_id"] = height });
            case JsonValue v when v.TryGetValue<string>(out var text):
                if (!Base58.TryDecode(text, out var hash) || hash.Length != 32)
                    throw RpcErrors.ParseError($"invalid block id '{text}': expected a height or a base58 block hash");
                return chain.GetBlock(hash) ?? throw RpcErrors.UnknownBlock(new JsonObject { ["block_id"] = text });
            default:
                throw RpcErrors.ParseError($"invalid block id {blockId.ToJsonString()}: expected a height or a base58 block hash");
        }
    }

    /// <summary>The first block the chain has (its genesis).</summary>
    public static BlockView Genesis(ILocalChain chain)
    {
        // Walk back from the head: the chain may start at any height.
        var block = chain.LatestBlock;
        while (block.Height > 0 && chain.GetBlock(block.PrevHash) is { } previous) block = previous;
        return block;
    }
}
