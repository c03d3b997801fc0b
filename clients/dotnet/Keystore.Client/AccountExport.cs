namespace Keystore.Client;

/// <summary>
/// An export: <see cref="Armored"/> is the age file (<c>-----BEGIN AGE ENCRYPTED FILE-----</c>…) only the recipient's
/// identity decrypts; <see cref="Contents"/> names what it holds (<c>mnemonic</c>, <c>ethereum/0</c>, …), never a secret.
/// </summary>
public sealed record AccountExport(string Account, string Recipient, IReadOnlyList<string> Contents, string Format, string Armored);
