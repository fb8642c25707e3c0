namespace OrderX.Orders.Domain;

/// <summary>The result of one step: whether it changed the order, and what must be published because of it.</summary>
public readonly record struct OrderOutcome(Transition Transition, OrderEffects Effects = OrderEffects.None)
{
    public static readonly OrderOutcome Repeat = new(Transition.AlreadyApplied);
    public static readonly OrderOutcome Rejected = new(Transition.Rejected);
}
