using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LtiMicroCred.Migrations.PostgreSql.Migrations
{
    /// <inheritdoc />
    public partial class CalibrationAndCoaching : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "CheckIns",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    TenantId = table.Column<Guid>(type: "uuid", nullable: false),
                    AttemptId = table.Column<Guid>(type: "uuid", nullable: false),
                    TeacherId = table.Column<Guid>(type: "uuid", nullable: false),
                    CoachId = table.Column<Guid>(type: "uuid", nullable: false),
                    About = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    Question = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: false),
                    RequestedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    Comments = table.Column<string>(type: "text", nullable: false),
                    GeneralComment = table.Column<string>(type: "character varying(8000)", maxLength: 8000, nullable: true),
                    AnsweredAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CheckIns", x => x.Id);
                    table.ForeignKey(
                        name: "FK_CheckIns_Attempts_AttemptId",
                        column: x => x.AttemptId,
                        principalTable: "Attempts",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_CheckIns_People_CoachId",
                        column: x => x.CoachId,
                        principalTable: "People",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_CheckIns_People_TeacherId",
                        column: x => x.TeacherId,
                        principalTable: "People",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "CoachAssignments",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    TenantId = table.Column<Guid>(type: "uuid", nullable: false),
                    CoachId = table.Column<Guid>(type: "uuid", nullable: false),
                    TeacherId = table.Column<Guid>(type: "uuid", nullable: true),
                    CredentialId = table.Column<Guid>(type: "uuid", nullable: true),
                    SchoolId = table.Column<Guid>(type: "uuid", nullable: true),
                    AssignedBy = table.Column<Guid>(type: "uuid", nullable: false),
                    AssignedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CoachAssignments", x => x.Id);
                    table.ForeignKey(
                        name: "FK_CoachAssignments_Credentials_CredentialId",
                        column: x => x.CredentialId,
                        principalTable: "Credentials",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_CoachAssignments_People_CoachId",
                        column: x => x.CoachId,
                        principalTable: "People",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_CoachAssignments_People_TeacherId",
                        column: x => x.TeacherId,
                        principalTable: "People",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_CoachAssignments_Schools_SchoolId",
                        column: x => x.SchoolId,
                        principalTable: "Schools",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_CoachAssignments_Tenants_TenantId",
                        column: x => x.TenantId,
                        principalTable: "Tenants",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "ReferenceSubmissions",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    TenantId = table.Column<Guid>(type: "uuid", nullable: false),
                    CredentialId = table.Column<Guid>(type: "uuid", nullable: false),
                    CredentialVersionId = table.Column<Guid>(type: "uuid", nullable: false),
                    Title = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    EvidenceHtml = table.Column<string>(type: "character varying(100000)", maxLength: 100000, nullable: false),
                    Links = table.Column<string>(type: "text", nullable: false),
                    AgreedLevels = table.Column<string>(type: "text", nullable: false),
                    AgreedOutcome = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    Active = table.Column<bool>(type: "boolean", nullable: false),
                    CreatedBy = table.Column<Guid>(type: "uuid", nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ReferenceSubmissions", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ReferenceSubmissions_CredentialVersions_CredentialVersionId",
                        column: x => x.CredentialVersionId,
                        principalTable: "CredentialVersions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_ReferenceSubmissions_Credentials_CredentialId",
                        column: x => x.CredentialId,
                        principalTable: "Credentials",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_ReferenceSubmissions_Tenants_TenantId",
                        column: x => x.TenantId,
                        principalTable: "Tenants",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "CalibrationScores",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    TenantId = table.Column<Guid>(type: "uuid", nullable: false),
                    ReviewerId = table.Column<Guid>(type: "uuid", nullable: false),
                    ReferenceId = table.Column<Guid>(type: "uuid", nullable: false),
                    Levels = table.Column<string>(type: "text", nullable: false),
                    SubmittedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CalibrationScores", x => x.Id);
                    table.ForeignKey(
                        name: "FK_CalibrationScores_People_ReviewerId",
                        column: x => x.ReviewerId,
                        principalTable: "People",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_CalibrationScores_ReferenceSubmissions_ReferenceId",
                        column: x => x.ReferenceId,
                        principalTable: "ReferenceSubmissions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_CalibrationScores_ReferenceId",
                table: "CalibrationScores",
                column: "ReferenceId");

            migrationBuilder.CreateIndex(
                name: "IX_CalibrationScores_ReviewerId_ReferenceId",
                table: "CalibrationScores",
                columns: new[] { "ReviewerId", "ReferenceId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_CheckIns_AttemptId_CoachId",
                table: "CheckIns",
                columns: new[] { "AttemptId", "CoachId" });

            migrationBuilder.CreateIndex(
                name: "IX_CheckIns_CoachId_AnsweredAt",
                table: "CheckIns",
                columns: new[] { "CoachId", "AnsweredAt" });

            migrationBuilder.CreateIndex(
                name: "IX_CheckIns_TeacherId",
                table: "CheckIns",
                column: "TeacherId");

            migrationBuilder.CreateIndex(
                name: "IX_CoachAssignments_CoachId",
                table: "CoachAssignments",
                column: "CoachId");

            migrationBuilder.CreateIndex(
                name: "IX_CoachAssignments_CredentialId",
                table: "CoachAssignments",
                column: "CredentialId");

            migrationBuilder.CreateIndex(
                name: "IX_CoachAssignments_SchoolId",
                table: "CoachAssignments",
                column: "SchoolId");

            migrationBuilder.CreateIndex(
                name: "IX_CoachAssignments_TeacherId",
                table: "CoachAssignments",
                column: "TeacherId");

            migrationBuilder.CreateIndex(
                name: "IX_CoachAssignments_TenantId_CoachId",
                table: "CoachAssignments",
                columns: new[] { "TenantId", "CoachId" });

            migrationBuilder.CreateIndex(
                name: "IX_CoachAssignments_TenantId_CredentialId",
                table: "CoachAssignments",
                columns: new[] { "TenantId", "CredentialId" });

            migrationBuilder.CreateIndex(
                name: "IX_CoachAssignments_TenantId_SchoolId",
                table: "CoachAssignments",
                columns: new[] { "TenantId", "SchoolId" });

            migrationBuilder.CreateIndex(
                name: "IX_CoachAssignments_TenantId_TeacherId",
                table: "CoachAssignments",
                columns: new[] { "TenantId", "TeacherId" });

            migrationBuilder.CreateIndex(
                name: "IX_ReferenceSubmissions_CredentialId",
                table: "ReferenceSubmissions",
                column: "CredentialId");

            migrationBuilder.CreateIndex(
                name: "IX_ReferenceSubmissions_CredentialVersionId",
                table: "ReferenceSubmissions",
                column: "CredentialVersionId");

            migrationBuilder.CreateIndex(
                name: "IX_ReferenceSubmissions_TenantId_CredentialId_Active",
                table: "ReferenceSubmissions",
                columns: new[] { "TenantId", "CredentialId", "Active" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "CalibrationScores");

            migrationBuilder.DropTable(
                name: "CheckIns");

            migrationBuilder.DropTable(
                name: "CoachAssignments");

            migrationBuilder.DropTable(
                name: "ReferenceSubmissions");
        }
    }
}
