using Keystore.Auth;
using Keystore.Problems;
using Keystore.Tests.Support;
using NSec.Cryptography;

namespace Keystore.Tests.Auth;

/// <summary>The credential is base64url (RFC 4648 §5) as .NET's Base64Url decodes it: padding optional, no standard-alphabet characters.</summary>
public sealed class CredentialEncodingTests
{
    private static ProblemException Refusal(string credential) =>
        Assert.Throws<ProblemException>(() => NearAuthorization.Parse("NEAR " + credential));

    [Fact]
    public void Base64url_with_or_without_padding_parses()
    {
        using var key = Key.Create(SignatureAlgorithm.Ed25519);
        string credential = KeystoreServer.Credential("GET", "/v1/x", [], "alice.near", key);
        Assert.Equal("alice.near", NearAuthorization.Parse("NEAR " + credential).AccountId);
        string padded = credential.PadRight(credential.Length + (4 - credential.Length % 4) % 4, '=');
        Assert.Equal("alice.near", NearAuthorization.Parse("NEAR " + padded).AccountId);
    }

    [Fact]
    public void The_standard_base64_alphabet_is_refused_as_not_base64url()
    {
        // {"a":"???"}: base64url "eyJhIjoiPz8_In0", standard base64 "eyJhIjoiPz8/In0".
        ProblemException urlSafe = Refusal("eyJhIjoiPz8_In0");
        Assert.StartsWith("The NEAR credential needs accountId", urlSafe.Message); // decoded: the JSON is what is wrong

        ProblemException standard = Refusal("eyJhIjoiPz8/In0");
        Assert.Equal(ProblemTypes.InvalidAuthorization, standard.Problem);
        Assert.Equal("The NEAR credential is not base64url.", standard.Message);
    }
}
