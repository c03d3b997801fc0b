namespace Keystore.Near.Ckd;

/// <summary>The MPC response did not decrypt to a valid BLS signature on the app id. Never carries secret material.</summary>
public sealed class CkdVerificationException(string message) : Exception(message);
