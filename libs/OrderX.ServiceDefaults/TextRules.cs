using System.Globalization;
using System.Net.Mail;
using System.Text;

namespace OrderX.ServiceDefaults;

/// <summary>
/// What OrderX accepts in the names people and products carry: letters of any script, digits, spaces and
/// ordinary punctuation. Markup (<c>&lt;&gt;</c>), statement separators and quotes that only an injection needs,
/// control and invisible formatting characters (bidirectional overrides, zero-width joiners) are refused, so
/// whatever is stored is safe to show anywhere.
/// </summary>
public static class TextRules
{
    private const string Punctuation = " .,'-&()/+#:!?*@_";

    /// <summary>The name in NFC, or null when it is empty, too long or holds a character outside the rules.</summary>
    public static string? CleanName(string? value, int maxLength)
    {
        var text = Normalized(value);
        if (text is null || text.Length == 0 || text.Length > maxLength)
            return null;
        foreach (var rune in text.EnumerateRunes())
        {
            var category = Rune.GetUnicodeCategory(rune);
            var allowed = Rune.IsLetterOrDigit(rune)
                          || category is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark
                          || (rune.IsAscii && Punctuation.Contains((char)rune.Value));
            if (!allowed)
                return null;
        }
        return text;
    }

    /// <summary>Free text (a description): anything printable but markup and invisible formatting; line breaks allowed.</summary>
    public static string? CleanText(string? value, int maxLength)
    {
        var text = Normalized(value);
        if (text is null || text.Length > maxLength)
            return null;
        foreach (var rune in text.EnumerateRunes())
        {
            var category = Rune.GetUnicodeCategory(rune);
            if (rune.Value is '<' or '>' || category is UnicodeCategory.Format or UnicodeCategory.Surrogate or UnicodeCategory.PrivateUse
                || (category == UnicodeCategory.Control && rune.Value is not ('\n' or '\r' or '\t')))
                return null;
        }
        return text;
    }

    // Trimmed and in NFC, or null for no value or text that is not valid UTF-16 (an unpaired surrogate).
    private static string? Normalized(string? value)
    {
        try
        {
            return value?.Trim().Normalize(NormalizationForm.FormC);
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    /// <summary>A plain ASCII e-mail address (no display name, no comments), or null.</summary>
    public static string? CleanEmail(string? value)
    {
        var email = value?.Trim() ?? "";
        if (email.Length is 0 or > 254 || !email.All(c => c is > ' ' and < (char)127) || email.IndexOfAny(['<', '>', '"', '\'', ';', '\\']) >= 0)
            return null;
        return MailAddress.TryCreate(email, out var parsed) && parsed.Address == email ? email : null;
    }
}
