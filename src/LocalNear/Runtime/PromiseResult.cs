namespace Keystore.LocalNear.Runtime;

/// <summary>What a callback sees of a receipt it depends on: <c>promise_result</c> 1 with data, or 2 (failed).</summary>
internal sealed record PromiseResult(bool Successful, byte[] Data)
{
    public static readonly PromiseResult Failed = new(false, []);
}
