namespace OrderX.Users.Data;

public sealed class UserAccount
{
    public Guid Id { get; set; }
    public required string Email { get; set; }
    /// <summary>Lower-cased e-mail: uniqueness is case-insensitive on every provider.</summary>
    public required string NormalizedEmail { get; set; }
    public required string Name { get; set; }
    /// <summary>A salted, slow hash (ASP.NET Core's PBKDF2 format); null for accounts that cannot sign in.</summary>
    public string? PasswordHash { get; set; }
    public string Role { get; set; } = "customer";
    public DateTime CreatedAt { get; set; }
}
