using NBitcoin;

namespace Keystore.Chains.Bitcoin;

/// <summary>What <see cref="BitcoinSigner.SignInputs"/> did: the same PSBT, now with a key-path signature on each of <see cref="SignedInputs"/>.</summary>
public sealed record TaprootSigning(PSBT Psbt, IReadOnlyList<int> SignedInputs);
