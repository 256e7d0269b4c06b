using Pipeline.Editing.Runtime;
using Pipeline.Hosting.Health;
using Pipeline.Hosting.Workers;
using Pipeline.Workers.Invert;

HugePages.RestartWithThemIfOff();
var builder = WebApplication.CreateBuilder(args);
builder.AddStageWorker(new InvertWorker());
builder.Services.AddEditingInvertProcessor();

var app = builder.Build();
app.MapHealthEndpoints();
app.Run();
