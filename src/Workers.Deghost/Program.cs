using Pipeline.Editing.Runtime;
using Pipeline.Hosting.Health;
using Pipeline.Hosting.Workers;
using Pipeline.Workers.Deghost;

HugePages.RestartWithThemIfOff();
var builder = WebApplication.CreateBuilder(args);
builder.AddStageWorker(new DeghostWorker());
builder.Services.AddEditingDeghostProcessor();

var app = builder.Build();
app.MapHealthEndpoints();
app.Run();
