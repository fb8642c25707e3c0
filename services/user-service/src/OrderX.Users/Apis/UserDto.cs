using OrderX.Users.Data;

namespace OrderX.Users.Apis;

public sealed record UserDto(Guid Id, string Email, string Name, DateTime CreatedAt)
{
    public static UserDto From(UserAccount user) => new(user.Id, user.Email, user.Name, user.CreatedAt);
}

public sealed record CreateUserRequest(string? Email, string? Name);
