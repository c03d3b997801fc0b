using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Keystore.Attestation.Quotes;
using Keystore.Attestation.Verification;

namespace Keystore.Attestation.Collateral;

/// <summary>
/// Fetches DCAP collateral from an Intel-compatible PCCS/PCS (v4 API) and assembles a
/// <see cref="QuoteCollateralV3"/>. The TCB info and QE identity are kept as the exact bytes the server
/// sent, since their signatures cover those bytes. Results are cached in memory per (FMSPC, CA) until
/// the earlier of the cache lifetime and the collateral's own next update.
/// </summary>
public sealed class PccsCollateralClient(HttpClient http, Uri baseUrl, TimeSpan? cacheLifetime = null, TimeProvider? time = null)
{
    public static readonly Uri IntelPcs = new("https://api.trustedservices.intel.com/");

    private readonly Uri _base = new(baseUrl.ToString().TrimEnd('/') + "/");
    private readonly TimeSpan _lifetime = cacheLifetime ?? TimeSpan.FromHours(1);
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly ConcurrentDictionary<string, (QuoteCollateralV3 Collateral, DateTimeOffset Expires)> _cache = new();

    /// <summary>Collateral for a quote: FMSPC and PCK CA type come from the PCK leaf certificate it carries.</summary>
    public Task<QuoteCollateralV3> GetCollateralAsync(ReadOnlyMemory<byte> quote, CancellationToken ct)
    {
        var parsed = TdxQuote.Parse(quote.Span);
        var chain = CertificateChainValidator.ParsePem(Encoding.ASCII.GetString(parsed.Signature.PckCertChainPem), "pck.chain");
        if (chain.Count == 0) throw new PccsException("pck", "quote carries no PCK certificate");
        var fmspc = PckExtension.FromCertificate(chain[0]).Fmspc;
        // Intel names the issuing CA "Intel SGX PCK Platform CA" or "... Processor CA"; the CRL differs per CA.
        var ca = chain[0].IssuerDN.ToString().Contains("Processor", StringComparison.OrdinalIgnoreCase) ? "processor" : "platform";
        return GetCollateralAsync(Convert.ToHexString(fmspc), ca, ct);
    }

    public async Task<QuoteCollateralV3> GetCollateralAsync(string fmspcHex, string ca, CancellationToken ct)
    {
        if (ca is not ("platform" or "processor")) throw new ArgumentException("ca must be platform or processor", nameof(ca));
        var key = $"{fmspcHex.ToUpperInvariant()}/{ca}";
        var now = _time.GetUtcNow();
        if (_cache.TryGetValue(key, out var hit) && hit.Expires > now) return hit.Collateral;

        var (pckCrl, pckCrlChain) = await GetAsync("pckcrl", $"sgx/certification/v4/pckcrl?ca={ca}&encoding=der", ["SGX-PCK-CRL-Issuer-Chain"], ct);
        var (tcbBody, tcbChain) = await GetAsync("tcb", $"tdx/certification/v4/tcb?fmspc={fmspcHex}", ["TCB-Info-Issuer-Chain", "SGX-TCB-Info-Issuer-Chain"], ct);
        var (qeBody, qeChain) = await GetAsync("qe_identity", "tdx/certification/v4/qe/identity", ["SGX-Enclave-Identity-Issuer-Chain"], ct);
        var (rootCrl, _) = await GetAsync("rootcacrl", "sgx/certification/v4/rootcacrl", [], ct);

        var (tcbInfo, tcbSig) = SignedJson(tcbBody, "tcbInfo", "tcb");
        var (qeIdentity, qeSig) = SignedJson(qeBody, "enclaveIdentity", "qe_identity");
        var collateral = new QuoteCollateralV3
        {
            PckCrlIssuerChain = pckCrlChain!,
            RootCaCrl = CrlBytes(rootCrl, "rootcacrl"),
            PckCrl = CrlBytes(pckCrl, "pckcrl"),
            TcbInfoIssuerChain = tcbChain!,
            TcbInfo = tcbInfo,
            TcbInfoSignature = tcbSig,
            QeIdentityIssuerChain = qeChain!,
            QeIdentity = qeIdentity,
            QeIdentitySignature = qeSig,
        };

        var expires = now + _lifetime;
        try
        {
            var next = TcbInfo.Parse(tcbInfo).NextUpdate;
            var qeNext = QeIdentity.Parse(qeIdentity).NextUpdate;
            expires = new[] { expires, next, qeNext }.Min();
        }
        catch (QuoteVerificationException e)
        {
            throw new PccsException("tcb", "collateral JSON is malformed", inner: e);
        }
        _cache[key] = (collateral, expires);
        return collateral;
    }

    private async Task<(byte[] Body, string? Chain)> GetAsync(string resource, string path, string[] chainHeaders, CancellationToken ct)
    {
        HttpResponseMessage response;
        try
        {
            response = await http.GetAsync(new Uri(_base, path), ct);
        }
        catch (HttpRequestException e)
        {
            throw new PccsException(resource, $"unreachable at {_base}", inner: e);
        }
        catch (TaskCanceledException e) when (!ct.IsCancellationRequested)
        {
            throw new PccsException(resource, $"timed out at {_base}", inner: e);
        }
        using (response)
        {
            if (!response.IsSuccessStatusCode)
                throw new PccsException(resource, $"HTTP {(int)response.StatusCode}", (int)response.StatusCode);
            string? chain = null;
            if (chainHeaders.Length > 0)
            {
                var header = chainHeaders.Select(h => response.Headers.TryGetValues(h, out var v) ? v.FirstOrDefault() : null).FirstOrDefault(v => v is not null)
                    ?? throw new PccsException(resource, $"missing {chainHeaders[0]} header");
                // Issuer chains travel URL-encoded (PEM has newlines and '+' that headers cannot carry raw).
                chain = Uri.UnescapeDataString(header);
            }
            return (await response.Content.ReadAsByteArrayAsync(ct), chain);
        }
    }

    /// <summary>Returns the raw bytes of <c>{"name": {...}, "signature": "hex"}</c>'s signed object, unchanged.</summary>
    private static (string Json, byte[] Signature) SignedJson(byte[] body, string name, string resource)
    {
        try
        {
            var reader = new Utf8JsonReader(body);
            string? json = null;
            byte[]? signature = null;
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) throw new JsonException("object expected");
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var prop = reader.GetString();
                reader.Read();
                if (prop == name && reader.TokenType == JsonTokenType.StartObject)
                {
                    var start = (int)reader.TokenStartIndex;
                    reader.Skip();
                    json = Encoding.UTF8.GetString(body, start, (int)reader.BytesConsumed - start);
                }
                else if (prop == "signature" && reader.TokenType == JsonTokenType.String)
                    signature = Convert.FromHexString(reader.GetString()!);
                else
                    reader.Skip();
            }
            return (json ?? throw new JsonException($"no {name}"), signature ?? throw new JsonException("no signature"));
        }
        catch (Exception e) when (e is JsonException or FormatException)
        {
            throw new PccsException(resource, "response is not signed collateral JSON", inner: e);
        }
    }

    /// <summary>CRLs come as DER, hex text (PCCS rootcacrl) or PEM depending on server and encoding parameter.</summary>
    private static byte[] CrlBytes(byte[] body, string resource)
    {
        if (body.Length > 0 && body[0] == 0x30) return body;
        var text = Encoding.ASCII.GetString(body).Trim();
        try
        {
            if (text.StartsWith("-----BEGIN", StringComparison.Ordinal))
            {
                var lines = text.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith("-----", StringComparison.Ordinal));
                return Convert.FromBase64String(string.Concat(lines));
            }
            return Convert.FromHexString(text);
        }
        catch (FormatException e)
        {
            throw new PccsException(resource, "CRL is neither DER, hex nor PEM", inner: e);
        }
    }
}
