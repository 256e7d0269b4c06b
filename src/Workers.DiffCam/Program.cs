using Pipeline.Contracts;
using Pipeline.Hosting.Health;
using Pipeline.Hosting.Workers;
using Pipeline.Processing;

var builder = WebApplication.CreateBuilder(args);
builder.AddStageWorker(Stage.DiffCam);
builder.Services.AddEditingProcessors(Stage.DiffCam);

var app = builder.Build();
app.MapHealthEndpoints();
app.Run();
