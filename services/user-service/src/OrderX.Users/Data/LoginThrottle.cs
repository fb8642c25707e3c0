namespace OrderX.Users.Data;

/// <summary>Failed sign-ins counted per account (by e-mail, existing or not) and per client address, in the database so every instance sees them.</summary>
public sealed class LoginThrottle
{
    public required string Key { get; set; }
    public int Failures { get; set; }
    public DateTime WindowStartedAt { get; set; }
    public DateTime? BlockedUntil { get; set; }
}
