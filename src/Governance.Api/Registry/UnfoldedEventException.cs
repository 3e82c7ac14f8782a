namespace Governance.Registry;

/// <summary>
/// An event reached a fold that has no case for it. Folds throw rather than skip, so a new event
/// type cannot be silently ignored by one read model; a test folds every registered type.
/// </summary>
public sealed class UnfoldedEventException(object e)
    : InvalidOperationException($"No fold handles the event type {e.GetType().Name}.");
