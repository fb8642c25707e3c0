namespace OrderX.Orders.Domain;

/// <summary>What an event did to an order: changed it, found it already so (a repeat), or could not apply (contradicts it).</summary>
public enum Transition
{
    Applied,
    AlreadyApplied,
    Rejected,
}
