namespace Keystore.Attestation.Verification;

/// <summary>Intel TCB statuses, declared in increasing severity so merging takes the maximum.</summary>
public enum TcbStatus
{
    UpToDate = 0,
    SWHardeningNeeded = 1,
    ConfigurationNeeded = 2,
    ConfigurationAndSWHardeningNeeded = 3,
    OutOfDate = 4,
    OutOfDateConfigurationNeeded = 5,
    Revoked = 6,
}
