namespace OrderX.Users.Data;

/// <summary>
/// One refresh token, stored only as a SHA-256 digest. Each use replaces it with a new one of the same family;
/// a used token presented again means it was stolen, and the whole family is revoked.
/// </summary>
public sealed class RefreshToken
{
    public Guid Id { get; set; }
    public Guid UserId { get; set; }
    public Guid FamilyId { get; set; }
    public required string TokenHash { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime ExpiresAt { get; set; }
    public DateTime? UsedAt { get; set; }
    public DateTime? RevokedAt { get; set; }
}
