using System.Buffers.Text;
using System.Globalization;

namespace Keystore.Approvals;

/// <summary>Where a page of open requests ends: the last one's creation time and row id, as <c>&lt;ms&gt;.&lt;base64url&gt;</c>.</summary>
public sealed record ApprovalCursor(long CreatedMs, byte[] RowId)
{
    public override string ToString() => CreatedMs.ToString(CultureInfo.InvariantCulture) + "." + Base64Url.EncodeToString(RowId);

    public static bool TryParse(string text, out ApprovalCursor? cursor)
    {
        cursor = null;
        int dot = text.IndexOf('.', StringComparison.Ordinal);
        if (dot is < 1 or > 19 || text.Length - dot - 1 != 43) return false;
        if (!long.TryParse(text.AsSpan(0, dot), NumberStyles.None, CultureInfo.InvariantCulture, out long ms)) return false;
        byte[] row = new byte[32];
        if (!Base64Url.TryDecodeFromChars(text.AsSpan(dot + 1), row, out int written) || written != 32) return false;
        cursor = new ApprovalCursor(ms, row);
        return true;
    }
}
