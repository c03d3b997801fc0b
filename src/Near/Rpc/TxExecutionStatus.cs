namespace Keystore.Near.Rpc;

/// <summary>nearcore's <c>wait_until</c> levels for send_tx / tx.</summary>
public enum TxExecutionStatus
{
    None,
    Included,
    ExecutedOptimistic,
    IncludedFinal,
    Executed,
    Final,
}

public static class TxExecutionStatusExtensions
{
    public static string ToWire(this TxExecutionStatus status) => status switch
    {
        TxExecutionStatus.None => "NONE",
        TxExecutionStatus.Included => "INCLUDED",
        TxExecutionStatus.ExecutedOptimistic => "EXECUTED_OPTIMISTIC",
        TxExecutionStatus.IncludedFinal => "INCLUDED_FINAL",
        TxExecutionStatus.Executed => "EXECUTED",
        TxExecutionStatus.Final => "FINAL",
        _ => throw new ArgumentOutOfRangeException(nameof(status)),
    };
}
