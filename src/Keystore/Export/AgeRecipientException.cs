namespace Keystore.Export;

/// <summary>A recipient that is not a well-formed age X25519 recipient; the message says which rule it broke.</summary>
public sealed class AgeRecipientException(string message) : FormatException(message);
