using System.Security.Cryptography;
using Org.BouncyCastle.Asn1.X9;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Crypto.Operators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;
using Org.BouncyCastle.Math;

namespace Keystore.Attestation.Simulator;

/// <summary>
/// A P-256 key of the simulated PKI. Keys derive from a seed and signatures use RFC 6979 nonces, so a
/// seeded PKI is byte-for-byte reproducible (every node of a local network trusts the same root).
/// </summary>
internal sealed class SimulatedKey
{
    // Named-curve domain: certificates then carry the prime256v1 OID, as Intel's do (explicit curve
    // parameters are legal X.509 but strict verifiers, like the on-chain one, accept only the named curve).
    private static readonly ECDomainParameters Domain = ECNamedDomainParameters.LookupOid(ECNamedCurveTable.GetOid("P-256"));

    public ECPrivateKeyParameters Private { get; }
    public ECPublicKeyParameters Public { get; }

    private SimulatedKey(BigInteger d)
    {
        Private = new ECPrivateKeyParameters(d, Domain);
        Public = new ECPublicKeyParameters(Domain.G.Multiply(d).Normalize(), Domain);
    }

    /// <summary>d = HMAC-SHA256(seed, label) reduced into [1, n-1]; a fresh random seed gives a random key.</summary>
    public static SimulatedKey Derive(byte[] seed, string label)
    {
        var h = HMACSHA256.HashData(seed, System.Text.Encoding.UTF8.GetBytes("keystore-tdx-simulator:" + label));
        var d = new BigInteger(1, h).Mod(Domain.N.Subtract(BigInteger.One)).Add(BigInteger.One);
        return new SimulatedKey(d);
    }

    /// <summary>The uncompressed point without its 0x04 prefix: the 64-byte form quotes carry.</summary>
    public byte[] PublicXY => Public.Q.GetEncoded(false)[1..];

    /// <summary>ECDSA-SHA256 signature as raw r‖s (the encoding quotes and collateral use).</summary>
    public byte[] SignRaw(ReadOnlySpan<byte> data)
    {
        var signer = new DsaDigestSigner(new ECDsaSigner(new HMacDsaKCalculator(new Sha256Digest())), new Sha256Digest(), PlainDsaEncoding.Instance);
        signer.Init(true, Private);
        signer.BlockUpdate(data);
        return signer.GenerateSignature();
    }

    /// <summary>Deterministic ECDSA-SHA256 for certificates and CRLs.</summary>
    public ISignatureFactory CertificateSigner => new DeterministicSignatureFactory(Private);

    private sealed class DeterministicSignatureFactory(ECPrivateKeyParameters key) : ISignatureFactory
    {
        public object AlgorithmDetails { get; } = new Org.BouncyCastle.Asn1.X509.AlgorithmIdentifier(X9ObjectIdentifiers.ECDsaWithSha256);

        public IStreamCalculator<IBlockResult> CreateCalculator()
        {
            var signer = new DsaDigestSigner(new ECDsaSigner(new HMacDsaKCalculator(new Sha256Digest())), new Sha256Digest());
            signer.Init(true, key);
            return new DefaultSignatureCalculator(signer);
        }
    }
}
