using System.Net;
using Keystore.Boot;
using Keystore.Dao;
using Keystore.Near.Rpc;

namespace Keystore.Tests.Dao;

/// <summary>One classification of NEAR failures: what may clear up is retried at boot, a definite answer is not.</summary>
public sealed class NearFaultsTests
{
    public static TheoryData<Exception> Transient() =>
    [
        new NearTimeoutException("query: the node timed out."),
        new NearTransportException("query: all 5 attempts over 1 endpoint(s) failed.", new HttpRequestException("HTTP 502", null, HttpStatusCode.BadGateway)),
        new HttpRequestException("connection refused"),
        new NearRpcException("query: HANDLER_ERROR: NOT_SYNCED_YET", "HANDLER_ERROR", "NOT_SYNCED_YET"),
        new NearRpcException("query: INTERNAL_ERROR", "INTERNAL_ERROR", "INTERNAL_ERROR"),
        // An answer that could not be read: another endpoint, or the same one later, may answer properly.
        new NearRpcException("query: the node's answer is malformed (InvalidOperationException).", causeName: NearRpcClient.MalformedResponseCause),
    ];

    public static TheoryData<Exception> Definite() =>
    [
        new UnknownAccountException("dao.test.near"),
        new AccessKeyNotFoundException("dao.test.near", "ed25519:11111111111111111111111111111111"),
        new NearRpcException("query: HANDLER_ERROR: CONTRACT_EXECUTION_ERROR: MethodResolveError(MethodNotFound)", "HANDLER_ERROR", "CONTRACT_EXECUTION_ERROR"),
        new NearRpcException("query: HANDLER_ERROR: CONTRACT_EXECUTION_ERROR: invalid args", "HANDLER_ERROR", "CONTRACT_EXECUTION_ERROR"),
        new InvalidSignatureException(),
    ];

    [Theory]
    [MemberData(nameof(Transient))]
    public void Timeouts_5xx_and_unsynced_nodes_are_transient_and_retried_at_boot(Exception fault)
    {
        Assert.True(NearFaults.IsTransient(fault));
        Assert.False(NearFaults.IsDefinite(fault));
        Assert.True(NearFaults.IsFault(fault));
        BootFailureException failure = KeystoreBootService.AsBootFailure(fault)!;
        Assert.True(failure.Retryable);
        Assert.Same(fault, failure.InnerException);
        Assert.Equal("NEAR RPC: " + fault.Message, failure.Message);
    }

    [Theory]
    [MemberData(nameof(Definite))]
    public void Unknown_accounts_missing_methods_bad_arguments_and_access_key_errors_are_definite_and_not_retried(Exception fault)
    {
        Assert.False(NearFaults.IsTransient(fault));
        Assert.True(NearFaults.IsDefinite(fault));
        Assert.True(NearFaults.IsFault(fault));
        BootFailureException failure = KeystoreBootService.AsBootFailure(fault)!;
        Assert.False(failure.Retryable);
        Assert.Equal("NEAR RPC: " + fault.Message, failure.Message);
    }

    [Fact]
    public void A_contracts_answer_and_a_bug_are_not_NEAR_faults()
    {
        var refused = new TransactionFailedException("tx", "worker not approved", null);
        Assert.False(NearFaults.IsFault(refused));
        Assert.False(NearFaults.IsFault(new InvalidOperationException("bug")));
        Assert.Null(KeystoreBootService.AsBootFailure(new InvalidOperationException("bug")));
        Assert.Null(KeystoreBootService.AsBootFailure(new OperationCanceledException()));
        var own = new BootFailureException("no TEE here", retryable: false);
        Assert.Same(own, KeystoreBootService.AsBootFailure(own));
    }
}
