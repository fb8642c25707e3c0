namespace OrderX.Users.Identity;

/// <summary>
/// Length over composition rules (NIST SP 800-63B): 10 to 128 characters, not the e-mail address, not one of
/// the passwords every attacker tries first.
/// </summary>
public static class PasswordPolicy
{
    public const int MinLength = 10;
    public const int MaxLength = 128;

    private static readonly HashSet<string> Common = new(StringComparer.OrdinalIgnoreCase)
    {
        "password", "password1", "password12", "password123", "password1234", "1234567890", "12345678910", "123456789a",
        "qwertyuiop", "qwerty1234", "qwerty12345", "1q2w3e4r5t", "iloveyou12", "letmein123", "welcome123", "admin12345",
        "abc1234567", "passw0rd12", "0123456789", "1111111111", "aaaaaaaaaa", "orderx1234", "changeme12",
    };

    /// <summary>Why the password is refused, or null when it is acceptable.</summary>
    public static string? Check(string? password, string email)
    {
        if (string.IsNullOrEmpty(password) || password.Length < MinLength)
            return $"The password needs at least {MinLength} characters.";
        if (password.Length > MaxLength)
            return $"The password has at most {MaxLength} characters.";
        if (string.IsNullOrWhiteSpace(password) || password.Any(char.IsControl))
            return "The password cannot be blank or contain control characters.";
        if (password.Distinct().Count() < 4)
            return "The password needs at least four different characters.";
        if (Common.Contains(password) || ContainsAddress(password, email))
            return "The password is too easy to guess (a common password, or it contains your e-mail address).";
        return null;
    }

    // The whole address, or its part before the @ once it is long enough to be more than a letter or two that
    // any password may hold (bob@example.com refuses "Bob2024-secure" too), in any case.
    private static bool ContainsAddress(string password, string email)
    {
        var address = email.Trim();
        var localPart = address.Split('@')[0];
        return address.Length > 0 && password.Contains(address, StringComparison.OrdinalIgnoreCase)
            || localPart.Length >= MinLocalPartLength && password.Contains(localPart, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The shortest part before the @ that a password may not contain.</summary>
    public const int MinLocalPartLength = 3;
}
