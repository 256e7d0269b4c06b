using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Pipeline.Coordinator.Persistence.Migrations
{
    /// <summary>Items keep the claim checks of their 8-bit PNG renders by role (<c>pngs</c>, JSON); rows saved before
    /// have none.</summary>
    [DbContext(typeof(CoordinatorDbContext))]
    [Migration("20261206140000_ItemPngs")]
    public partial class ItemPngs : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder) =>
            migrationBuilder.AddColumn<string>(name: "pngs", table: "items", type: "text", nullable: false, defaultValue: "{}");

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder) =>
            migrationBuilder.DropColumn(name: "pngs", table: "items");
    }
}
