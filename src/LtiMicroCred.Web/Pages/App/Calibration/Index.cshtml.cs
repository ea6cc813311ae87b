using LtiMicroCred.Calibration;

namespace LtiMicroCred.Web.Pages.App.Calibration;

/// <summary>The reviewer's calibration exercises: one per credential with enough references, with their progress and latest result.</summary>
public sealed class IndexModel(CalibrationExercise exercise) : AppPageModel
{
    public IReadOnlyList<ExerciseSummary> Exercises { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken) => Exercises = await exercise.AvailableAsync(Actor, cancellationToken);
}
