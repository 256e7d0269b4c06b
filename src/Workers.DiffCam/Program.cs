using Pipeline.Editing.Runtime;
using Pipeline.Hosting.Health;
using Pipeline.Hosting.Workers;
using Pipeline.Workers.DiffCam;

HugePages.RestartWithThemIfOff();
var builder = WebApplication.CreateBuilder(args);
builder.AddStageWorker(new DiffCamWorker());
builder.Services.AddEditingDiffCamProcessor();

var app = builder.Build();
app.MapHealthEndpoints();
app.Run();
