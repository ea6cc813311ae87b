using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LtiMicroCred.Migrations.SqlServer.Migrations
{
    /// <inheritdoc />
    public partial class Hours : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "CredentialLineItems",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    TenantId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    CredentialId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    PlatformId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    CourseId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    LineItemUrl = table.Column<string>(type: "nvarchar(2000)", maxLength: 2000, nullable: false),
                    CreatedBy = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CredentialLineItems", x => x.Id);
                    table.ForeignKey(
                        name: "FK_CredentialLineItems_Courses_CourseId",
                        column: x => x.CourseId,
                        principalTable: "Courses",
                        principalColumn: "Id");
                    table.ForeignKey(
                        name: "FK_CredentialLineItems_Credentials_CredentialId",
                        column: x => x.CredentialId,
                        principalTable: "Credentials",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "HoursSettings",
                columns: table => new
                {
                    TenantId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    PlatformId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    CourseId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    LineItemsUrl = table.Column<string>(type: "nvarchar(2000)", maxLength: 2000, nullable: false),
                    LineItemUrl = table.Column<string>(type: "nvarchar(2000)", maxLength: 2000, nullable: false),
                    ScoreMaximum = table.Column<double>(type: "float", nullable: false),
                    UpdatedBy = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_HoursSettings", x => x.TenantId);
                    table.ForeignKey(
                        name: "FK_HoursSettings_Courses_CourseId",
                        column: x => x.CourseId,
                        principalTable: "Courses",
                        principalColumn: "Id");
                    table.ForeignKey(
                        name: "FK_HoursSettings_Tenants_TenantId",
                        column: x => x.TenantId,
                        principalTable: "Tenants",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_CredentialLineItems_CourseId",
                table: "CredentialLineItems",
                column: "CourseId");

            migrationBuilder.CreateIndex(
                name: "IX_CredentialLineItems_CredentialId",
                table: "CredentialLineItems",
                column: "CredentialId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_CredentialLineItems_TenantId",
                table: "CredentialLineItems",
                column: "TenantId");

            migrationBuilder.CreateIndex(
                name: "IX_HoursSettings_CourseId",
                table: "HoursSettings",
                column: "CourseId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "CredentialLineItems");

            migrationBuilder.DropTable(
                name: "HoursSettings");
        }
    }
}
