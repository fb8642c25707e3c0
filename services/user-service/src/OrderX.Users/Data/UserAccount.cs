namespace OrderX.Users.Data;

public sealed class UserAccount
{
    public Guid Id { get; set; }
    public required string Email { get; set; }
    /// <summary>Lower-cased e-mail: uniqueness is case-insensitive on every provider.</summary>
    public required string NormalizedEmail { get; set; }
    public required string Name { get; set; }
    public DateTime CreatedAt { get; set; }
}
