namespace Pipeline.Editing.Training;

/// <summary>
/// The recipe of every sitting of a resumable training run, kept in its checkpoint as
/// <c>"0: recipe; 5400: other recipe"</c>: a sitting that runs with another recipe than the last one appends itself
/// with the step it started at, so the provenance of a network trained over several sittings stays complete.
/// </summary>
public static class SittingHistory
{
    /// <summary>Checkpoint state key of the history.</summary>
    public const string Key = "recipe_history";

    /// <summary>The history with this sitting's <paramref name="recipe"/> appended at <paramref name="step"/> when it differs from the last.</summary>
    public static string Extend(string history, long step, string recipe) =>
        history.EndsWith(recipe, StringComparison.Ordinal) ? history
        : history.Length == 0 ? $"{step}: {recipe}"
        : $"{history}; {step}: {recipe}";
}
