"""The one table of satudata's own words, in Bahasa Indonesia and English.

Every message, heading, error and help text the tool writes itself is here, as a
:class:`~satudata_cli.core.i18n.Message` (``id``, ``en``): the class :class:`M` (one
attribute per text, so a wrong name is a mypy error), the column headings of the
listings (:data:`COLUMNS`), the words of values shown in tables (:data:`VALUES`) and the
words of the reports (:data:`REPORT_LABELS`). ``{name}`` placeholders are filled with
:meth:`Message.format`; both languages have the same ones
(``tests/unit/test_messages.py`` walks the whole table).

A typed table rather than gettext ``.po`` files: the texts are checked by mypy and by one
test, nothing has to be compiled or shipped beside the code, and two languages need no
plural machinery. Texts of the standard itself stay with the standard: rule titles in
``standard/ruleset.py``, finding messages where the rule is, field titles and vocabulary
labels in ``schemas/`` (each in both languages too).

Sections: ``click_*`` typer's and click's own words; ``help_*`` help texts of commands and
options; ``msg_*`` what the commands print; ``err_*`` errors of every layer; ``log_*``
log lines; ``title_*`` table titles.
"""

from __future__ import annotations

from typing import Final

from satudata_cli.core.i18n import Message

__all__ = ["CATALOGUE_DOCS", "COLUMNS", "REPORT_LABELS", "VALUES", "M", "all_messages"]


class M:
    """The messages of the tool (attributes only; see the module's docstring)."""

    # -- typer's and click's own words ---------------------------------------------
    click_usage = Message("Penggunaan:", "Usage:")
    click_options_metavar = Message("[OPSI]", "[OPTIONS]")
    click_command_metavar = Message("PERINTAH [ARG]...", "COMMAND [ARGS]...")
    click_arguments = Message("Argumen", "Arguments")
    click_options = Message("Opsi", "Options")
    click_commands = Message("Perintah", "Commands")
    click_error = Message("Galat", "Error")
    click_aborted = Message("Dibatalkan.", "Aborted.")
    click_default = Message("[bawaan: {}]", "[default: {}]")
    click_envvar = Message("[variabel lingkungan: {}]", "[env var: {}]")
    click_required = Message("[wajib]", "[required]")
    click_deprecated = Message("(usang) ", "(deprecated) ")
    click_try_help = Message(
        "Coba [blue]'{command_path} {help_option}'[/] untuk bantuan.",
        "Try [blue]'{command_path} {help_option}'[/] for help.",
    )
    # usage errors: the English text is matched, then said in Indonesian; a {reason} or
    # {hint} is translated in turn
    click_no_such_option_possible = Message(
        "Opsi tidak dikenal: {name} (opsi yang ada: {options})",
        "No such option: {name} (Possible options: {options})",
    )
    click_no_such_option = Message("Opsi tidak dikenal: {name}", "No such option: {name}")
    click_no_such_command_mean = Message(
        "Perintah {name} tidak dikenal. Maksud Anda {suggestions}?",
        "No such command {name}.. Did you mean {suggestions}?",
    )
    click_no_such_command = Message("Perintah {name} tidak dikenal.", "No such command {name}.")
    click_missing_command = Message("Perintah belum diberikan.", "Missing command.")
    click_missing_argument = Message("Argumen {name} belum diberikan.", "Missing argument {name}.")
    click_missing_option = Message("Opsi {name} belum diberikan.", "Missing option {name}.")
    click_missing_parameter = Message(
        "Parameter {name} belum diberikan.", "Missing parameter {name}."
    )
    click_invalid_value_for = Message(
        "Nilai tidak sah untuk {hint}: {reason}", "Invalid value for {hint}: {reason}"
    )
    click_invalid_value = Message("Nilai tidak sah: {reason}", "Invalid value: {reason}")
    click_env_hint = Message("{hint} (variabel lingkungan: {envvar})", "{hint} (env var: {envvar})")
    click_extra_arguments = Message(
        "Argumen tambahan yang tidak dikenal ({args})",
        "Got unexpected extra argument(s) ({args})",
    )
    click_requires_argument = Message(
        "Opsi {name} memerlukan sebuah nilai.", "Option {name} requires an argument."
    )
    click_requires_arguments = Message(
        "Opsi {name} memerlukan {n} nilai.", "Option {name} requires {n} arguments."
    )
    click_takes_no_value = Message(
        "Opsi {name} tidak menerima nilai.", "Option {name} does not take a value."
    )
    click_value_error = Message("{reason}", "Value error, {reason}")
    click_not_one_of = Message(
        "{value} bukan salah satu dari {choices}.", "{value} is not one of {choices}."
    )
    click_not_integer = Message(
        "harus berupa bilangan bulat",
        "Input should be a valid integer, unable to parse string as an integer",
    )
    click_not_number = Message(
        "harus berupa angka", "Input should be a valid number, unable to parse string as a number"
    )
    click_at_least = Message(
        "harus lebih besar dari atau sama dengan {n}",
        "Input should be greater than or equal to {n}",
    )
    click_at_most = Message(
        "harus lebih kecil dari atau sama dengan {n}",
        "Input should be less than or equal to {n}",
    )
    click_path_missing = Message("{kind} {path} tidak ada.", "{kind} {path} does not exist.")

    @classmethod
    def click_errors(cls) -> list[Message]:
        """The usage-error templates, the most specific first (for matching)."""
        return [
            cls.click_no_such_option_possible,
            cls.click_no_such_option,
            cls.click_no_such_command_mean,
            cls.click_no_such_command,
            cls.click_missing_command,
            cls.click_missing_argument,
            cls.click_missing_option,
            cls.click_missing_parameter,
            cls.click_invalid_value_for,
            cls.click_invalid_value,
            cls.click_env_hint,
            cls.click_extra_arguments,
            cls.click_requires_argument,
            cls.click_requires_arguments,
            cls.click_takes_no_value,
            cls.click_value_error,
            cls.click_not_one_of,
            cls.click_not_integer,
            cls.click_not_number,
            cls.click_at_least,
            cls.click_at_most,
            cls.click_path_missing,
        ]

    # typer's own options for shell completion (when they are switched on)
    click_install_completion = Message(
        "Pasang pelengkapan untuk shell yang sedang dipakai.",
        "Install completion for the current shell.",
    )
    click_show_completion = Message(
        "Tampilkan pelengkapan untuk shell yang sedang dipakai, untuk disalin atau "
        "menyesuaikan pemasangannya.",
        "Show completion for the current shell, to copy it or customize the installation.",
    )
    click_install_completion_shell = Message(
        "Pasang pelengkapan untuk shell yang disebut.",
        "Install completion for the specified shell.",
    )
    click_show_completion_shell = Message(
        "Tampilkan pelengkapan untuk shell yang disebut, untuk disalin atau menyesuaikan "
        "pemasangannya.",
        "Show completion for the specified shell, to copy it or customize the installation.",
    )

    # -- help: the tool and its global options ---------------------------------------
    help_help = Message("Tampilkan bantuan ini lalu keluar.", "Show this message and exit.")
    help_app = Message(
        "satudata: memeriksa, memanen, menerbitkan dan melaporkan metadata Satu Data "
        "Indonesia.\n\n"
        "Keluaran: setiap perintah yang mencetak hasil menerima --format; nilai bawaannya "
        "dapat diambil dari SATUDATA_<PERINTAH>_FORMAT, satu variabel per kelompok perintah "
        "({variables}; catalog export: {export}). SATUDATA_FORMAT hanya dibaca oleh "
        "validate (usang).\n\n"
        "Bahasa: --lang id|en di mana saja pada baris perintah, atau SATUDATA_LANG, atau "
        "locale (LANG=id_ID.UTF-8).",
        "satudata: validate, harvest, publish and report Satu Data Indonesia metadata.\n\n"
        "Output: every command that prints a result takes --format; its default can come "
        "from SATUDATA_<COMMAND>_FORMAT, one variable per command family ({variables}; "
        "catalog export: {export}). SATUDATA_FORMAT is read by validate only "
        "(deprecated).\n\n"
        "Language: --lang id|en anywhere on the command line, or SATUDATA_LANG, or the "
        "locale (LANG=id_ID.UTF-8).",
    )
    help_config_dir = Message(
        "Folder konfigurasi sumber (satu berkas YAML per sumber). Bawaan: ./harvest_configs "
        "bila ada, selain itu milik pengguna ($XDG_CONFIG_HOME/satudata); `satudata info` "
        "menunjukkan yang mana.",
        "Folder of source configurations (one YAML file per sumber). Default: "
        "./harvest_configs if present, else the user's ($XDG_CONFIG_HOME/satudata); "
        "`satudata info` shows which.",
    )
    help_db = Message(
        "Katalog (berkas SQLite). Bawaan: ./satudata.db di folder proyek, selain itu milik "
        "pengguna ($XDG_DATA_HOME/satudata/satudata.db).",
        "The catalogue (SQLite file). Default: ./satudata.db in a project folder, else the "
        "user's ($XDG_DATA_HOME/satudata/satudata.db).",
    )
    help_log_format = Message(
        "Baris log di stderr: text atau json.", "Log lines on stderr: text or json."
    )
    help_quiet = Message(
        "Hanya galat di stderr (juga setelah perintah).",
        "Only errors on stderr (also after the command).",
    )
    help_verbose = Message(
        "Lebih banyak baris log, -vv: debug (juga setelah perintah; -v milik validate "
        "menampilkan setiap rekaman).",
        "More log lines, -vv: debug (also after the command; validate's own -v shows every "
        "record).",
    )
    help_quiet_anywhere = Message(
        "Hanya galat di stderr (sama dengan satudata -q PERINTAH).",
        "Only errors on stderr (the same as satudata -q COMMAND).",
    )
    help_verbose_anywhere = Message(
        "Lebih banyak baris log, -vv: debug (sama dengan satudata -v PERINTAH).",
        "More log lines, -vv: debug (the same as satudata -v COMMAND).",
    )
    help_version = Message("Cetak versi.", "Print the version.")
    help_lang = Message(
        "Bahasa pesan, tabel, galat dan bantuan: id (Bahasa Indonesia) atau en. Bawaan: "
        "SATUDATA_LANG, lalu Indonesia bila LC_ALL/LC_MESSAGES/LANG diawali 'id', selain "
        "itu Inggris.",
        "Language of messages, tables, errors and help: id (Bahasa Indonesia) or en. "
        "Default: SATUDATA_LANG, then Indonesian when LC_ALL/LC_MESSAGES/LANG starts with "
        "'id', else English.",
    )
    help_color = Message(
        "Warna: auto (hanya di terminal), always, never. NO_COLOR dihormati.",
        "Colour: auto (terminal only), always, never. NO_COLOR is respected.",
    )
    help_format = Message("Format keluaran.", "Output format.")
    help_format_text_json = Message(
        "Format keluaran: text atau json.", "Output format: text or json."
    )
    help_json = Message("Sama dengan --format json.", "The same as --format json.")
    help_output = Message(
        "Tulis ke BERKAS (secara atomik), bukan ke keluaran standar.",
        "Write to FILE (atomically) instead of standard output.",
    )
    help_sources = Message("Hanya sumber ini (dapat diulang).", "Only these sources (repeatable).")
    help_limit_rows = Message("Paling banyak N baris.", "At most N rows.")
    help_profile = Message(
        "Nama profil bawaan (sdi-dasar, sdi-statistik) atau berkas YAML profil.",
        "Built-in profile name (sdi-dasar, sdi-statistik) or a profile YAML file.",
    )
    help_concurrency_sources = Message(
        "Jumlah sumber yang dipanen bersamaan.", "Sources harvested at once."
    )
    help_dry_run_harvest = Message(
        "Ambil dan periksa, tanpa menulis apa pun.", "Fetch and validate, write nothing."
    )

    # -- help: init and info
    help_info = Message(
        "Tampilkan lokasi folder konfigurasi dan katalog yang dipakai beserta asalnya; "
        "versi.\n\n"
        "Untuk tiap lokasi: opsi, variabel, folder proyek atau bawaan pengguna asalnya. Juga "
        "bawaan pengguna, versi skema katalog (hanya dibaca), folder skema dan jalur absolut "
        "satudata ini (untuk crontab). Keluar 0.",
        "Show where the config folder and the katalog are, and why; versions.\n\n"
        "For each location: the option, variable, project folder or user default it came "
        "from. Also the user defaults, the katalog's schema version (read-only), the schemas "
        "folder and the absolute path of this satudata (for a crontab). Exit 0.",
    )
    help_init = Message(
        "Tulis konfigurasi awal berkomentar: dua sumber, satu profil, satu tujuan terbit.\n\n"
        "Kode keluar: 0 ditulis; 2 sebuah berkas sudah ada (tidak ada yang ditulis) atau DIR "
        "tidak dapat ditulis.",
        "Write a commented starter configuration: two sources, a profile, a publish target."
        "\n\n"
        "Exit codes: 0 written; 2 a file already exists (nothing written) or DIR cannot be "
        "written.",
    )
    help_init_dir = Message(
        "Tempat menulis (bawaan: --config-dir / SATUDATA_CONFIG_DIR bila diberikan, selain "
        "itu folder konfigurasi pengguna, $XDG_CONFIG_HOME/satudata).",
        "Where to write (default: --config-dir / SATUDATA_CONFIG_DIR if given, else the "
        "user's config folder, $XDG_CONFIG_HOME/satudata).",
    )
    help_init_force = Message("Timpa berkas yang sudah ada.", "Overwrite files that already exist.")

    # -- help: validate ------------------------------------------------------------
    help_validate = Message(
        "Periksa metadata dataset terhadap standar Satu Data Indonesia.\n\n"
        "Kode keluar: 0 semua rekaman sah; 1 setidaknya satu rekaman gagal; 2 galat "
        "penggunaan (opsi atau profil tidak dikenal, jalur yang tidak ada); 4 katalog terus "
        "sibuk (--catalog); 5 tidak ada rekaman untuk diperiksa. Berkas yang ada tetapi tidak "
        "dapat dibaca menjadi temuan galat untuk berkas itu; berkas lain tetap diperiksa.",
        "Validate dataset metadata against the Satu Data Indonesia standard.\n\n"
        "Exit codes: 0 every record valid; 1 at least one record fails; 2 usage error "
        "(unknown option or profile, a path that does not exist); 4 the catalogue stays busy "
        "(--catalog); 5 no record found to check. A file that exists but cannot be read is "
        "an error finding for that file; the others are still checked.",
    )
    help_validate_paths = Message(
        "Berkas atau folder (dicari secara rekursif) berisi metadata JSON, JSON Lines, YAML, "
        "CSV atau XLSX; '-' membaca masukan standar.",
        "Files or folders (searched recursively) of JSON, JSON Lines, YAML, CSV or XLSX "
        "metadata; '-' reads standard input.",
    )
    help_validate_format = Message(
        "Format keluaran (juga dari {legacy} yang sudah usang).",
        "Output format (also from the deprecated {legacy}).",
    )
    help_validate_output = Message(
        "Tulis laporan ke BERKAS (secara atomik), bukan ke stdout.",
        "Write the report to FILE (atomically) instead of stdout.",
    )
    help_fail_on = Message(
        "Tingkat keparahan terendah yang membuat rekaman gagal (keluar 1).",
        "Lowest severity that makes a record fail (exit 1).",
    )
    help_validate_as_of = Message(
        "Nilai tanggal dan kemutakhiran per hari ini (YYYY-MM-DD); bawaan hari ini.",
        "Judge dates and freshness as of this day (YYYY-MM-DD); default today.",
    )
    help_validate_catalog = Message(
        "Periksa rekaman aktif yang tersimpan di katalog (--db).",
        "Validate the active records stored in the catalogue (--db).",
    )
    help_validate_sources = Message(
        "Dengan --catalog: hanya sumber ini.", "With --catalog: only these sources."
    )
    help_validate_quiet = Message(
        "Tampilkan hanya rekaman yang gagal.", "Show only records that fail."
    )
    help_validate_verbose = Message(
        "Tampilkan setiap rekaman, juga yang bersih.", "Show every record, also clean ones."
    )

    # -- help: harvest and sources -------------------------------------------------
    help_harvest = Message(
        "Panen sumber ke dalam katalog (inkremental kecuali --full).\n\n"
        "Tanpa id dan tanpa --all, memanen sumber yang jadwalnya sudah tiba (sumber yang "
        "gagal: lagi setelah jeda schedule_retry-nya). Kode keluar: 0 berhasil; 2 galat "
        "konfigurasi; 3 sebagian sumber atau rekaman gagal, satu putaran tidak lengkap atau "
        "katup penarikan menahan; 4 proses lain memegang katalog; "
        "5 semua sumber gagal; 130 dihentikan (143 SIGTERM, 129 SIGHUP).",
        "Harvest sources into the catalogue (incremental unless --full).\n\n"
        "Without ids and without --all, harvests the sources whose schedule is due (a failed "
        "source: again after its schedule_retry delay). Exit codes: 0 ok; 2 configuration "
        "error; 3 some sources or records failed, a pass was incomplete or the withdrawal valve "
        "held; 4 another run holds the catalogue; 5 every "
        "source failed; 130 interrupted (143 SIGTERM, 129 SIGHUP).",
    )
    help_harvest_ids = Message("Id sumber yang dipanen.", "Source ids to harvest.")
    help_harvest_all = Message(
        "Panen semua sumber yang dikonfigurasi.", "Harvest every configured source."
    )
    help_harvest_full = Message(
        "Satu putaran lengkap (bukan inkremental); dapat menarik dataset.",
        "A complete pass (not incremental); may withdraw datasets.",
    )
    help_harvest_limit = Message(
        "Paling banyak N rekaman per sumber (tidak menarik apa pun).",
        "At most N records per source (withdraws nothing).",
    )
    help_sources_app = Message(
        "Sumber yang dikonfigurasi: daftar, periksa satu.",
        "The configured sources (sumber): list them, check one.",
    )
    help_sources_list = Message(
        "Daftar sumber yang dikonfigurasi beserta panen terakhirnya, keberhasilan terakhir dan "
        "kapan masing-masing jatuh tempo berikutnya (sekarang bila sudah tiba; kosong untuk "
        "sumber manual).",
        "List the configured sources with their last harvest, last success and when each is "
        "due next (now for one due at once; none for a manual source).",
    )
    help_harvest_failed = Message(
        "Hanya sumber (yang diberikan, atau semua) yang panen terakhirnya gagal atau "
        "dihentikan, apa pun jadwalnya.",
        "Only the sources (given, or all) whose last harvest failed or was interrupted, "
        "whatever their schedule.",
    )
    help_lock_wait = Message(
        "Bila proses lain memegang katalog, tunggu paling lama DETIK sebelum keluar 4 "
        "(bawaan 0: langsung keluar 4).",
        "When another run holds the catalogue, wait up to SECONDS for it before exiting 4 "
        "(default 0: exit 4 at once).",
    )
    help_sources_check = Message(
        "Periksa bahwa sumber menjawab dan pratinjau rekaman pertamanya beserta temuannya.\n\n"
        "Tidak menulis apa pun. Keluar 0 bila sumber menjawab, 5 bila tidak dapat dibaca.",
        "Check that a source answers and preview its first records with their findings.\n\n"
        "Writes nothing. Exit 0 when the source answered, 5 when it could not be read.",
    )
    help_sources_check_id = Message("Sumber yang diperiksa.", "The source to check.")
    help_sources_check_limit = Message("Jumlah rekaman pratinjau.", "Records to preview.")

    # -- help: publish ---------------------------------------------------------------
    help_publish = Message(
        "Terbitkan katalog ke portal CKAN: buat, perbarui, biarkan, tarik.\n\n"
        "Idempoten: dataset yang tidak berubah sejak penerbitan terakhir tidak memerlukan "
        "panggilan sama sekali. Kode keluar: 0 berhasil; 2 galat konfigurasi; 3 sebagian "
        "dataset gagal; 4 proses lain memegang katalog; 5 portal tidak menjawab atau menolak "
        "token, atau semua dataset gagal; 130 dihentikan (143 SIGTERM, 129 SIGHUP).",
        "Publish the katalog to a CKAN portal: create, update, leave unchanged, withdraw.\n\n"
        "Idempotent: a dataset unchanged since the last publish costs no call at all. Exit "
        "codes: 0 ok; 2 configuration error; 3 some datasets failed; 4 another run holds the "
        "catalogue; 5 the portal does not answer or refuses the token, or every dataset "
        "failed; 130 interrupted (143 SIGTERM, 129 SIGHUP).",
    )
    help_publish_target = Message(
        "Id tujuan (harvest_configs/targets/<id>.yaml) atau berkas YAML tujuan.",
        "Target id (harvest_configs/targets/<id>.yaml) or a target YAML file.",
    )
    help_publish_sources = Message(
        "Hanya dataset dari sumber ini (dapat diulang).",
        "Only datasets of this source (repeatable).",
    )
    help_publish_invalid = Message(
        "Terbitkan juga rekaman yang tidak lolos pemeriksaan (bawaan: hanya yang sah).",
        "Also publish records that do not pass validation (default: only valid).",
    )
    help_publish_dry_run = Message(
        "Tampilkan buat/perbarui/tetap/tarik beserta perbedaan kolom; tanpa menulis.",
        "Show create/update/unchanged/withdraw with a field diff; write nothing.",
    )
    help_publish_withdrawn = Message(
        "Dataset yang ditarik di portal: keep, private atau delete (bawaan: withdraw.mode "
        "milik tujuan, selain itu keep).",
        "Withdrawn datasets on the portal: keep, private or delete (default: the target's "
        "withdraw.mode, else keep).",
    )
    help_publish_concurrency = Message(
        "Jumlah dataset yang dikerjakan bersamaan (bawaan: http.concurrency milik tujuan).",
        "Datasets worked on at once (default: the target's http.concurrency).",
    )

    # -- help: catalog and jobs ------------------------------------------------------
    help_catalog_app = Message("Jelajahi katalog lokal.", "Browse the local catalogue (katalog).")
    help_jobs_app = Message(
        "Tugas panen: riwayat dan masa simpan.", "Harvest jobs: history and retention."
    )
    help_catalog_list = Message("Daftar dataset di katalog.", "List datasets in the catalogue.")
    help_catalog_list_withdrawn = Message(
        "Daftar dataset yang ditarik, bukan yang aktif.",
        "List withdrawn datasets instead of active ones.",
    )
    help_catalog_search = Message(
        "Pencarian teks penuh (semua kata harus cocok; kata* adalah awalan).",
        "Full-text search (all words must match; word* is a prefix).",
    )
    help_catalog_search_query = Message(
        "Kata yang dicari di judul, deskripsi, tag, organisasi.",
        "Words to find in title, notes, tags, organization.",
    )
    help_catalog_show = Message(
        "Tampilkan satu dataset: rekamannya, temuan, sumber daya dan peristiwa terbaru.",
        "Show one dataset: its record, findings, resources and recent events.",
    )
    help_catalog_show_dataset = Message(
        "Id dataset, nama, id jarak jauh atau SUMBER:ID_JARAK_JAUH.",
        "Dataset id, name, remote id or SOURCE:REMOTE_ID.",
    )
    help_catalog_stats = Message(
        "Jumlah per sumber: aktif, ditarik, sah, tidak sah, tugas terakhir.",
        "Counts per source: active, withdrawn, valid, invalid, last job.",
    )
    help_catalog_export = Message(
        "Ekspor dataset aktif katalog dalam salah satu format --format.",
        "Export the catalogue's active datasets in one of the --format formats.",
    )
    help_export_format = Message("Format ekspor.", "Export format.")
    help_export_output = Message(
        "Tulis ke BERKAS (secara atomik), bukan ke keluaran standar; wajib untuk {formats}.",
        "Write to FILE (atomically) instead of standard output; required for {formats}.",
    )
    help_export_delimiter = Message(
        "Pemisah kolom untuk {formats}: ',' (bawaan), ';' (Excel dengan locale Indonesia) "
        "atau tab.",
        "Field separator of {formats}: ',' (default), ';' (Excel in Indonesian locales) or tab.",
    )
    help_export_base_uri = Message(
        "Awal URI yang menamai dataset di data.json dan DCAT "
        "({base-uri}dataset/SUMBER/ID_JARAK_JAUH).",
        "Base of the URIs naming datasets in data.json and DCAT "
        "({base-uri}dataset/SOURCE/REMOTE_ID).",
    )
    help_jobs_list = Message(
        "Tugas panen terbaru, yang terbaru lebih dulu.", "Recent harvest jobs, newest first."
    )
    help_jobs_source = Message("Hanya sumber ini.", "Only this source.")
    help_jobs_show = Message(
        "Satu tugas: penghitung, waktu, teks galat, catatan dan peristiwanya.",
        "One job: counters, timings, error text, notes and its events.",
    )
    help_jobs_show_id = Message("Id tugas.", "The job id.")
    help_jobs_show_events = Message("Jumlah peristiwa yang ditampilkan.", "Events to show.")
    help_jobs_prune = Message(
        "Hapus riwayat panen lama (tugas dan peristiwa); dataset tidak pernah dihapus.",
        "Delete old harvest history (jobs and events); datasets are never deleted.",
    )
    help_jobs_prune_older = Message(
        "Hapus tugas dan peristiwanya yang lebih tua dari ini.",
        "Delete jobs and their events older than this.",
    )
    help_jobs_prune_vacuum = Message(
        "Kembalikan ruang ke disk.", "Give the space back to the disk."
    )

    # -- help: report ----------------------------------------------------------------
    help_report_app = Message(
        "Laporan per perangkat daerah: kepatuhan dan kemutakhiran.",
        "Reports per agency (perangkat daerah): compliance and freshness.",
    )
    help_report_by = Message(
        "Apa yang dimaksud perangkat daerah: organization, produsen_data, source (sumber) "
        "atau pilar (pilar Medan Satu Data).",
        "What an agency is: organization, produsen_data, source (sumber) or pilar (the "
        "Medan Satu Data pillar).",
    )
    help_report_format = Message("Format keluaran: {formats}", "Output format: {formats}")
    help_report_detail = Message(
        "Satu baris per dataset (csv), setiap dataset (text, html).",
        "One row per dataset (csv), every dataset (text, html).",
    )
    help_report_min_score = Message(
        "Keluar 1 bila ada perangkat daerah dengan skor di bawah ini (0-100): gerbang untuk "
        "CI atau cron.",
        "Exit 1 when any agency scores below this (0-100): a gate for CI or cron.",
    )
    help_report_as_of = Message(
        "Nilai kemutakhiran per hari ini (YYYY-MM-DD); bawaan hari ini (UTC).",
        "Judge freshness as of this day (YYYY-MM-DD); default today (UTC).",
    )
    help_report_compliance = Message(
        "Kepatuhan terhadap standar per perangkat daerah, skor 0-100.\n\n"
        "Per perangkat daerah: jumlah dataset, bagian yang patuh penuh, kelengkapan per "
        "kolom, aturan yang paling sering gagal, skor dan perubahannya sejak panen "
        "sebelumnya. Hanya dataset aktif.\n\n"
        "Kode keluar: 0 berhasil; 1 ada perangkat daerah dengan skor di bawah --min-score; "
        "2 galat penggunaan (sumber tidak dikenal); 5 tidak ada katalog atau dataset aktif.",
        "Compliance with the standard per agency (perangkat daerah), scored 0-100.\n\n"
        "Per agency: datasets, fully compliant share, completeness per field, the most "
        "frequent failing rules, the score and its change since the previous harvest. "
        "Active datasets only.\n\n"
        "Exit codes: 0 ok; 1 an agency scores below --min-score; 2 usage error (unknown "
        "source); 5 no catalogue or no active dataset.",
    )
    help_report_freshness = Message(
        "Kemutakhiran per dataset dan perangkat daerah: pembaruan mana yang terlambat.\n\n"
        "Per dataset: jadwal pemutakhiran yang dinyatakan, pembaruan terakhir, jatuh tempo, "
        "hari terlambat; per perangkat daerah: tepat waktu / terlambat / jadwal tidak "
        "diketahui dan kasus terburuk. Hanya dataset aktif.\n\n"
        "Kode keluar: 0 berhasil; 2 galat penggunaan; 5 tidak ada katalog atau dataset aktif.",
        "Freshness per dataset and agency: which updates are overdue (Terlambat).\n\n"
        "Per dataset: declared jadwal pemutakhiran, last update, due date, days overdue; per "
        "agency: on time / overdue / unknown frequency and the worst cases. Active datasets "
        "only.\n\n"
        "Exit codes: 0 ok; 2 usage error; 5 no catalogue or no active dataset.",
    )

    report_format_text = Message("tabel untuk dibaca orang", "tables for people")
    report_format_json = Message("objek laporan", "the report object")
    report_format_csv = Message(
        "satu baris per perangkat daerah atau dataset", "one row per agency or dataset"
    )
    report_format_html = Message("satu halaman mandiri", "one self-contained page")

    # -- help: schema ------------------------------------------------------------------
    help_schema_app = Message(
        "Tampilkan atau ekspor kolom standar Satu Data Indonesia (per profil).",
        "Show or export the fields of the Satu Data Indonesia standard (per profile).",
    )
    help_schema_show = Message(
        "Daftar kolom sebuah profil: tipe, wajib atau tidak, kosakata, deskripsi.",
        "List the fields of a profile: type, required or not, vocabulary, description.",
    )
    help_schema_show_field = Message(
        "Satu kolom untuk dijelaskan lengkap.", "One field to describe in full."
    )
    help_schema_export = Message(
        "Tulis profil sebagai satu JSON Schema (2020-12) yang berdiri sendiri.\n\n"
        "Dengan --config JENIS: skema berkas sumber, tujuan atau profil.\n\n"
        "Dengan --format ckan-scheming: skema dataset ckanext-scheming dari profil.",
        "Write the profile resolved into one self-contained JSON Schema (2020-12).\n\n"
        "With --config KIND: the schema of a source, target or profile file instead.\n\n"
        "With --format ckan-scheming: a ckanext-scheming dataset schema of the profile.",
    )
    help_schema_export_config = Message(
        "Sebagai gantinya: JSON Schema berkas konfigurasi (source, target atau profile), "
        "untuk editor.",
        "Instead: the JSON Schema of a configuration file (source, target or profile), for "
        "editors.",
    )

    schema_field = Message("Kolom", "Field")
    schema_type = Message("Tipe", "Type")
    schema_status = Message("Status", "Status")
    schema_vocab = Message("Kosakata", "Vocabulary")
    schema_title = Message("Judul", "Title")
    schema_rule_source = Message("Sumber aturan", "Rule source")
    schema_labels = Message("Label kolom", "Column labels")
    schema_days = Message("({n} hari)", "({n} days)")

    # -- info (cli/info_cmd.py)
    info_origin_flag = Message("opsi {flag}", "option {flag}")
    info_origin_env = Message("variabel {env}", "variable {env}")
    info_origin_project = Message(
        "folder proyek (folder kerja saat ini)", "project folder (the current folder)"
    )
    info_origin_user = Message("bawaan pengguna", "user default")
    info_config_dir = Message("folder konfigurasi", "config folder")
    info_db = Message("katalog", "katalog")
    info_user_config_dir = Message("folder konfigurasi pengguna", "user config folder")
    info_user_db = Message("katalog pengguna", "user katalog")
    info_schema = Message("versi skema katalog", "katalog schema version")
    info_schemas = Message("folder skema", "schemas folder")
    info_command = Message("perintah", "command")
    info_from = Message("dari", "from")
    info_missing = Message("belum ada", "does not exist yet")
    info_files = Message("{n} berkas sumber", "{n} source files")
    info_file_version = Message("berkas: {v}", "file: {v}")
    info_no_file = Message("belum ada berkas", "no file yet")
    info_unreadable = Message("tidak terbaca: {error}", "unreadable: {error}")
    info_in_use = Message("dipakai", "in use")
    info_unused = Message("tidak dipakai", "not in use")

    # -- init (cli/init_cmd.py)
    init_written = Message(
        "Konfigurasi awal ditulis ke {dir}:",
        "Starter configuration written to {dir}:",
    )
    init_exists = Message(
        "{dir} sudah berisi {files}; tidak ada yang ditulis (--force menimpanya)",
        "{dir} already holds {files}; nothing written (--force overwrites)",
    )
    init_not_folder = Message("{dir} bukan folder", "{dir} is not a folder")
    init_cannot_write = Message(
        "tidak dapat menulis {path}: {reason}",
        "cannot write {path}: {reason}",
    )
    init_next = Message("Langkah berikutnya:", "Next:")
    init_step_list = Message("sumber yang terkonfigurasi", "the configured sources")
    init_step_check = Message(
        "pratinjau lembar contoh, tanpa menulis",
        "preview the example sheet, writes nothing",
    )
    init_step_harvest = Message("panen ke katalog", "harvest into the katalog")
    init_step_stats = Message("isi katalog", "what the katalog holds")
    init_step_edit = Message(
        "ganti url di {ckan} dan {target}, lalu:",
        "set the url in {ckan} and {target}, then:",
    )
    init_step_token = Message(
        "token API portal (jangan ditulis di berkas)",
        "the portal's API token (never in a file)",
    )
    init_step_publish = Message(
        "apa yang akan berubah di portal",
        "what would change on the portal",
    )
    init_step_info = Message("lokasi yang dipakai", "the locations in use")
    init_source = Message("sumber", "source")
    init_profile = Message("profil", "profile")
    init_target = Message("tujuan terbit", "publish target")
    init_sheet = Message("lembar contoh", "example sheet")
    init_schema = Message("JSON Schema untuk editor", "JSON Schema for editors")

    # -- what the commands print -------------------------------------------------------
    msg_error_prefix = Message("satudata: galat:", "satudata: error:")
    msg_interrupted = Message("satudata: dihentikan ({signal})", "satudata: interrupted ({signal})")
    msg_internal_error = Message(
        "satudata: galat internal: {name}\n"
        "Ini adalah bug di satudata; jalankan lagi dengan SATUDATA_DEBUG=1 untuk rinciannya.",
        "satudata: internal error: {name}\n"
        "This is a bug in satudata; run again with SATUDATA_DEBUG=1 for details.",
    )
    msg_legacy_format = Message(
        "satudata: catatan: {legacy} sudah usang; gunakan {new} (hanya dibaca oleh validate)",
        "satudata: note: {legacy} is deprecated; use {new} (it is read by validate only)",
    )
    msg_note = Message("catatan: {note}", "note: {note}")
    msg_no_source_due = Message(
        "Tidak ada sumber yang jadwalnya tiba (beri id sumber atau --all untuk memanen sekarang).",
        "No source is due (give source ids or --all to harvest now).",
    )
    msg_no_source_failed = Message(
        "Tidak ada sumber yang panen terakhirnya gagal atau dihentikan.",
        "No source's last harvest failed or was interrupted.",
    )
    msg_progress_records = Message("{n} rekaman", "{n} records")
    msg_eta = Message("sisa", "ETA")
    msg_dry_run_suffix = Message(" (uji coba)", " (dry run)")
    msg_preview_title = Message(
        "{source}: {n} rekaman dipratinjau", "{source}: {n} record(s) previewed"
    )
    msg_publish_dry_run = Message("Uji coba: tidak ada yang ditulis", "Dry run: nothing written")
    msg_publish_fields = Message("{n} kolom untuk diterbitkan", "{n} fields to publish")
    msg_exported = Message(
        "{n} dataset diekspor sebagai {format} ke {where}.",
        "Exported {n} dataset(s) as {format} to {where}.",
    )
    msg_stdout = Message("keluaran standar", "standard output")
    msg_pruned = Message(
        "{jobs} tugas dan {events} peristiwa yang lebih tua dari {cutoff} dihapus.",
        "Deleted {jobs} job(s) and {events} event(s) older than {cutoff}.",
    )
    msg_nothing_checked = Message(
        "satudata: tidak ada rekaman di {where}; tidak ada yang diperiksa",
        "satudata: no records found in {where}; nothing was checked",
    )
    msg_in_catalogue = Message("katalog", "the catalogue")
    msg_in_paths = Message("jalur yang diberikan", "the given path(s)")
    msg_none = Message("tidak ada", "none")
    msg_all = Message("(semua)", "(all)")

    # -- the text output of validate (cli/text.py)
    text_at_line = Message("(baris {line})", "(line {line})")
    text_line = Message("baris {line}", "line {line}")
    text_line_column = Message("baris {line}, kolom {column}", "line {line}, column {column}")
    text_errors = Message("{n} galat", "{n} error(s)")
    text_warnings = Message("{n} peringatan", "{n} warning(s)")
    text_infos = Message("{n} info", "{n} info")
    text_summary = Message(
        "Ringkasan: {records} rekaman dari {files} berkas: {valid} sah, {invalid} tidak sah; "
        "{errors} galat, {warnings} peringatan, {infos} info",
        "Summary: {records} records in {files} files: {valid} valid, {invalid} invalid; "
        "{errors} errors, {warnings} warnings, {infos} infos",
    )
    text_top_rules = Message("Aturan terbanyak: {rules}", "Most frequent rules: {rules}")

    # -- log lines (pipeline/harvest.py, publish/engine.py)
    log_source_finished = Message(
        "sumber {source}: {status} dalam {seconds} detik ({counts})",
        "source {source}: {status} in {seconds} s ({counts})",
    )
    log_source_failed = Message(
        "sumber {source}: {status}: {error}", "source {source}: {status}: {error}"
    )
    log_source_note = Message("sumber {source}: {note}", "source {source}: {note}")
    log_record_errored = Message(
        "sumber {source}: rekaman {record} tidak dapat dibaca: {reason}",
        "source {source}: record {record} could not be read: {reason}",
    )
    log_records_errored_more = Message(
        "sumber {source}: rekaman lain tidak dapat dibaca; semuanya ada di "
        "`satudata jobs show {job}`",
        "source {source}: more records could not be read; every one is in "
        "`satudata jobs show {job}`",
    )
    log_interrupted = Message("dihentikan ({signal})", "interrupted ({signal})")
    log_stale_jobs = Message(
        "{n} tugas yang ditinggalkan berjalan oleh proses yang berhenti ditandai dihentikan: "
        "{jobs}",
        "marked {n} job(s) left running by a stopped run as interrupted: {jobs}",
    )
    note_pass_incomplete = Message(
        "putaran tidak lengkap ({reason}): tidak ada yang ditarik",
        "the pass was not complete ({reason}): nothing was withdrawn",
    )
    err_past_deadline = Message(
        "dihentikan: tugas berjalan melewati batas waktunya (job_deadline: {seconds} detik); "
        "yang sudah dibaca disimpan, tidak ada yang ditarik",
        "stopped: the job ran past the job deadline (job_deadline: {seconds} s); what it read "
        "is kept, nothing was withdrawn",
    )
    note_tls_off = Message(
        "Verifikasi TLS MATI untuk sumber ini (http.verify: false): jawaban dapat dipalsukan",
        "TLS verification is OFF for this source (http.verify: false): answers could be forged",
    )

    log_target_note = Message("tujuan {target}: {note}", "target {target}: {note}")
    log_dataset_failed = Message(
        "tujuan {target}: {action} {dataset} gagal: {error}",
        "target {target}: {action} {dataset} failed: {error}",
    )

    # -- publishing (publish/engine.py)
    err_portal_not_ckan = Message(
        "portal {url} tidak menjawab sebagai portal CKAN ({reason}); periksa url di tujuan",
        "the portal {url} does not answer as a CKAN portal ({reason}); check the url in the target",
    )
    err_portal_token = Message(
        "portal {url} tidak menerima token API di {env} (panggilan terautentikasi ditolak); "
        "periksa tokennya",
        "the portal {url} does not accept the API token in {env} (an authenticated call was "
        "refused); check the token",
    )
    err_portal_unanswered = Message(
        "portal {url} tidak menjawab sebagai portal CKAN: {reason}",
        "the portal {url} does not answer as a CKAN portal: {reason}",
    )
    err_no_source_in_katalog = Message(
        "tidak ada sumber {ids} di katalog (yang ada: {known})",
        "no source {ids} in the katalog (known: {known})",
    )
    err_no_organization = Message(
        "rekaman tidak menyebut organization atau produsen_data dan tujuan tidak memiliki "
        "default_organization",
        "the record names no organization or produsen_data and the target has no "
        "default_organization",
    )
    err_org_check = Message(
        "tidak dapat memeriksa organisasi {name}: {reason}",
        "cannot check organization {name}: {reason}",
    )
    err_org_missing = Message(
        "organisasi {name} belum ada di portal dan create_organizations bernilai false di "
        "tujuan {target}; buat di portal atau petakan organisasinya di tujuan",
        "organization {name} does not exist on the portal and create_organizations is false "
        "in target {target}; create it on the portal or map the organization in the target",
    )
    err_org_create = Message(
        "tidak dapat membuat organisasi {name}: {reason}",
        "cannot create organization {name}: {reason}",
    )
    note_withdraw_blocked = Message(
        "tidak satu pun dari {due} dataset sumber {source} yang hilang dari putaran ini "
        "ditarik: itu {due} dari {active} dataset aktif ({share}), lebih dari batas {max} "
        "({limit}). Bila sumber tidak sedang gangguan dan dataset itu memang sudah tidak ada, "
        "naikkan withdraw.max_fraction untuk satu kali jalan",
        "withdrew none of the {due} datasets of source {source} that are missing from this "
        "pass: that is {due} of {active} active datasets ({share}), more than the limit of "
        "{max} ({limit}). If the source is not in an outage and they really are gone, raise "
        "withdraw.max_fraction for one run",
    )
    note_token_in_clear = Message(
        "{url} memakai http://: token API melintasi jaringan tanpa enkripsi; gunakan alamat "
        "https:// portal",
        "{url} is http://: the API token crosses the network unencrypted; use the portal's "
        "https:// address",
    )
    note_made_private = Message("dijadikan privat", "made private")
    note_deleted = Message("dihapus", "deleted")
    note_too_many_withdrawn = Message(
        "{n} dari {published} dataset terbit akan {done} sekaligus, lebih dari yang diizinkan "
        "withdraw.max_fraction={fraction}; tidak ada yang diproses (naikkan max_fraction di "
        "tujuan untuk melanjutkan)",
        "{n} of {published} published datasets would be {done} at once, more than "
        "withdraw.max_fraction={fraction} allows; none was (raise max_fraction in the target "
        "to proceed)",
    )
    note_search_failed = Message(
        "tidak dapat mencari dataset yang terbit sebelumnya di portal ({reason}); memakai "
        "nama dataset untuk menghindari duplikat",
        "cannot search the portal for datasets published before ({reason}); relying on "
        "dataset names to avoid duplicates",
    )
    note_adopted = Message(
        "{n} dataset tanpa status penerbitan ditemukan di portal dari identitasnya dan "
        "diambil alih (tanpa duplikat)",
        "{n} datasets without publish state were found on the portal by their identity and "
        "adopted (no duplicates)",
    )

    # -- table titles -------------------------------------------------------------------
    title_harvest = Message("Panen", "Harvest")
    title_sources = Message("Sumber", "Sources")
    title_catalogue = Message("Katalog", "Catalogue")
    title_record = Message("Rekaman", "Record")
    title_findings = Message("Temuan", "Findings")
    title_events = Message("Peristiwa", "Events")
    title_jobs = Message("Tugas panen", "Jobs")
    title_failed = Message("Gagal", "Failed")
    title_publish = Message("Terbit", "Publish")

    # -- errors the commands find themselves ----------------------------------------------
    err_unknown_sources = Message(
        "sumber tidak dikenal: {ids} (yang dikonfigurasi: {known})",
        "unknown source(s): {ids} (configured: {known})",
    )
    err_unknown_source = Message(
        "sumber {id} tidak dikenal (yang dikonfigurasi: {known})",
        "unknown source {id} (configured: {known})",
    )
    err_source_prefix = Message("sumber {source}: ", "source {source}: ")
    err_source_unreadable = Message(
        "sumber {id} tidak dapat dibaca: {reason}", "source {id} could not be read: {reason}"
    )
    err_no_catalogue = Message(
        "katalog {db} belum ada; jalankan 'satudata harvest' lebih dulu (atau arahkan --db / "
        "SATUDATA_DB ke katalog itu)",
        "the catalogue {db} does not exist yet; run 'satudata harvest' first (or point --db "
        "/ SATUDATA_DB at it)",
    )
    err_nothing_to_export_no_catalogue = Message(
        "tidak ada yang diekspor: katalog {db} belum ada; jalankan 'satudata harvest' lebih "
        "dulu (atau arahkan --db / SATUDATA_DB ke katalog itu)",
        "nothing to export: the catalogue {db} does not exist yet; run 'satudata harvest' "
        "first (or point --db / SATUDATA_DB at it)",
    )
    err_nothing_to_export = Message(
        "tidak ada yang diekspor: katalog tidak memiliki dataset aktif{sources}",
        "nothing to export: the catalogue has no active datasets{sources}",
    )
    err_from_sources = Message(" dari {sources}", " from {sources}")
    err_no_dataset = Message(
        "tidak ada dataset {dataset} di katalog", "no dataset {dataset} in the catalogue"
    )
    err_no_source_in_catalogue = Message(
        "tidak ada sumber {ids} di katalog (sumber: {known})",
        "no source {ids} in the catalogue (sources: {known})",
    )
    err_no_job = Message("tidak ada tugas {id}", "there is no job {id}")
    err_export_needs_file = Message(
        "--format {format} menulis buku kerja: beri --output BERKAS.{format}",
        "--format {format} writes a workbook: give --output FILE.{format}",
    )
    err_delimiter_csv_only = Message(
        "--delimiter hanya berlaku untuk csv, bukan untuk --format {format}",
        "--delimiter applies to csv only, not to --format {format}",
    )
    err_cannot_write = Message(
        "tidak dapat menulis {where}: {reason}", "cannot write {where}: {reason}"
    )
    err_write_folder = Message(
        "tidak dapat menulis {path}: itu sebuah folder", "cannot write {path}: it is a folder"
    )
    err_write_no_folder = Message(
        "tidak dapat menulis {path}: folder {folder} tidak ada",
        "cannot write {path}: folder {folder} does not exist",
    )
    err_bad_base_uri = Message(
        "{value}: beri alamat http(s):// atau urn:", "{value}: give an http(s):// address or a urn:"
    )
    err_bad_age = Message(
        "{value}: beri angka dan d, w atau h, misalnya 90d",
        "{value}: give a number and d, w or h, e.g. 90d",
    )
    err_bad_date = Message(
        "{value} bukan tanggal dalam bentuk YYYY-MM-DD", "{value} is not a date in YYYY-MM-DD form"
    )
    err_schema_format = Message(
        "--format harus text atau json, bukan {value}",
        "--format must be text or json, not {value}",
    )
    err_profile_and_config = Message(
        "--profile dan --config tidak dapat dipakai bersama: skema konfigurasi tidak "
        "memiliki profil",
        "--profile and --config do not go together: a config schema has no profile",
    )
    err_unknown_field = Message(
        "kolom {field} tidak dikenal; 'satudata schema show' mendaftar semua kolom",
        "unknown field {field}; 'satudata schema show' lists the fields",
    )

    # -- configuration files (core/configfile.py, sources/config.py, publish/config.py)
    cfg_env_var_help = Message(
        "rahasia tidak pernah disimpan di berkas konfigurasi: taruh token di variabel "
        "lingkungan dan sebut nama variabel itu dengan token_env (mis. token_env: "
        "SATUDATA_MEDAN_TOKEN)",
        "secrets never live in configuration files: put the token in an environment "
        "variable and name that variable with token_env (e.g. token_env: SATUDATA_MEDAN_TOKEN)",
    )
    cfg_at = Message("{where}: {key}: {problem}", "{where}: {key}: {problem}")
    cfg_unknown_key = Message("kunci tidak dikenal", "unknown key")
    cfg_did_you_mean = Message(" (maksud Anda {name}?)", " (did you mean {name}?)")
    cfg_allowed = Message("; yang diizinkan: {names}", "; allowed: {names}")
    cfg_missing_key = Message("kunci wajib tidak ada", "required key is missing")
    cfg_given_twice = Message("diberikan dua kali; simpan satu", "given twice; keep one")
    cfg_no_file = Message("{path}: berkas tidak ada", "{path}: the file does not exist")
    cfg_not_utf8 = Message("{path}: bukan teks UTF-8", "{path}: not UTF-8 text")
    cfg_unreadable = Message(
        "{path}: tidak dapat dibaca: {reason}", "{path}: cannot be read: {reason}"
    )
    cfg_not_yaml = Message(
        "{where}: bukan YAML yang sah: {problem}", "{where}: not valid YAML: {problem}"
    )
    cfg_yaml_refused = Message("{where}: ditolak: {problem}", "{where}: refused: {problem}")
    cfg_bad_date = Message(
        "bukan tanggal yang ada (hari melewati akhir bulannya, bulan 13, jam 24, tahun 0); "
        "tulis tanggal yang benar, atau beri tanda kutip agar tetap teks",
        "not a date that exists (a day past the end of its month, month 13, hour 24, year "
        "0); write a real date, or quote it to keep it as text",
    )
    cfg_holds = Message("berisi {what}", "holds {what}")
    cfg_empty = Message(
        "{path}: berkas kosong; sebuah {what} memerlukan setidaknya {needs}",
        "{path}: the file is empty; a {what} needs at least {needs}",
    )
    cfg_not_mapping = Message(
        "{where}: sebuah {what} harus berupa pemetaan YAML ({shape}, ...)",
        "{where}: a {what} must be a YAML mapping ({shape}, ...)",
    )
    cfg_duplicate_id = Message(
        "{where}: id: {id} sudah menjadi id {what} di {first}; id harus unik",
        "{where}: id: {id} is already the id of the {what} in {first}; ids must be unique",
    )
    cfg_kind_source = Message("sumber", "source")
    cfg_kind_target = Message("tujuan", "target")
    cfg_kind_profile = Message("profil", "profile")
    cfg_no_folder = Message(
        "folder konfigurasi {path} tidak ada (atur --config-dir atau SATUDATA_CONFIG_DIR, "
        "atau tulis konfigurasi awal di sana dengan `satudata init`)",
        "the configuration folder {path} does not exist (set --config-dir or "
        "SATUDATA_CONFIG_DIR, or write a starter there with `satudata init`)",
    )
    cfg_not_folder = Message(
        "folder konfigurasi {path} bukan folder (atur --config-dir atau SATUDATA_CONFIG_DIR, "
        "atau tulis konfigurasi awal di sana dengan `satudata init`)",
        "the configuration folder {path} is not a folder (set --config-dir or "
        "SATUDATA_CONFIG_DIR, or write a starter there with `satudata init`)",
    )
    cfg_token_unset = Message(
        "{kind} {id}: variabel lingkungan {var} tidak diisi atau kosong{where}; isi dengan "
        "token API portal",
        "{kind} {id}: the environment variable {var} is not set or empty{where}; set it to "
        "the portal's API token",
    )
    cfg_token_where = Message(" (token_env di {file})", " (token_env in {file})")
    cfg_unknown_target = Message(
        "tujuan {name} tidak dikenal (yang dikonfigurasi di {folder}: {known})",
        "unknown target {name} (configured in {folder}: {known})",
    )
    cfg_target_url_plain = Message(
        "harus berupa alamat portal saja (tanpa pengguna, kata sandi atau query); token "
        "disimpan di variabel lingkungan yang disebut oleh token_env",
        "must be the plain portal address (no user, password or query); the token goes in "
        "the environment variable named by token_env",
    )
    cfg_bad_org_key = Message(
        "{key}: {name} bukan nama organisasi CKAN (2-100 huruf kecil, angka, - dan _)",
        "{key}: {name} is not a CKAN organization name (2-100 lower-case letters, digits, - and _)",
    )
    cfg_bad_org = Message(
        "bukan nama organisasi CKAN (2-100 dari a-z, 0-9, - dan _)",
        "is not a CKAN organization name (2-100 of a-z, 0-9, - and _)",
    )
    cfg_empty_entry = Message("sebuah entri kosong", "an entry is empty")
    cfg_is_empty = Message("kosong", "is empty")
    cfg_not_http = Message(
        "harus berupa alamat http:// atau https:// dengan nama host",
        "must be an http:// or https:// address with a host name",
    )
    cfg_url_userinfo = Message(
        "tidak boleh berisi nama pengguna atau kata sandi; {help}",
        "must not contain a user name or password; {help}",
    )
    cfg_url_secret_query = Message(
        "tidak boleh membawa kunci atau token di query string; {help}",
        "must not carry a key or token in the query string; {help}",
    )
    cfg_required_for_type = Message("wajib untuk type {kind}", "required for type {kind}")
    cfg_path_not_used = Message(
        "tidak dipakai oleh type {kind}; beri url saja", "not used by type {kind}; give url only"
    )
    cfg_url_not_used = Message(
        "tidak dipakai oleh type {kind}; beri path saja", "not used by type {kind}; give path only"
    )
    cfg_needs_url_or_path = Message(
        "type {kind} memerlukan url atau path", "type {kind} needs url or path"
    )
    cfg_url_and_path = Message(
        "type {kind} menerima url atau path, tidak keduanya",
        "type {kind} takes url or path, not both",
    )
    cfg_block_other_type = Message(
        "hanya dipakai oleh type {block}, bukan {kind}", "only used by type {block}, not {kind}"
    )
    cfg_body_token_needs_env = Message(
        "jsonapi.body memakai {token}: sebut variabelnya dengan token_env",
        "jsonapi.body uses {token}: name its variable with token_env",
    )
    cfg_token_only_body = Message(
        "{{token}} hanya boleh di body, tidak pernah di query; {help}",
        "{{token}} only goes in the body, never in the query; {help}",
    )
    cfg_rows_needs_limit = Message(
        "{rows} memerlukan pagination.limit", "{rows} needs pagination.limit"
    )
    cfg_cursor_needs_style = Message(
        "{cursor} memerlukan pagination.style cursor", "{cursor} needs pagination.style cursor"
    )
    cfg_mapping_empty = Message(
        "kolom sumber dan tujuan tidak boleh kosong", "source and target fields must not be empty"
    )

    @classmethod
    def cfg_kinds(cls) -> dict[str, Message]:
        """The kinds of configuration file, by the name the loaders use."""
        return {
            "source": cls.cfg_kind_source,
            "target": cls.cfg_kind_target,
            "profile": cls.cfg_kind_profile,
        }

    # pydantic's messages about a configuration value (matched like the click_* ones)
    pyd_int = Message(
        "harus berupa bilangan bulat",
        "Input should be a valid integer, unable to parse string as an integer",
    )
    pyd_int_plain = Message("harus berupa bilangan bulat", "Input should be a valid integer")
    pyd_number = Message(
        "harus berupa angka", "Input should be a valid number, unable to parse string as a number"
    )
    pyd_bool = Message(
        "harus berupa true atau false",
        "Input should be a valid boolean, unable to interpret input",
    )
    pyd_string = Message("harus berupa teks", "Input should be a valid string")
    pyd_list = Message("harus berupa daftar", "Input should be a valid list")
    pyd_mapping = Message("harus berupa pemetaan", "Input should be a mapping")
    pyd_one_of = Message("harus salah satu dari {choices}", "Input should be {choices}")
    pyd_ge = Message(
        "harus lebih besar dari atau sama dengan {n}",
        "Input should be greater than or equal to {n}",
    )
    pyd_gt = Message("harus lebih besar dari {n}", "Input should be greater than {n}")
    pyd_le = Message(
        "harus lebih kecil dari atau sama dengan {n}", "Input should be less than or equal to {n}"
    )
    pyd_lt = Message("harus lebih kecil dari {n}", "Input should be less than {n}")

    @classmethod
    def pydantic_errors(cls) -> list[Message]:
        """pydantic's messages, the most specific first (for matching)."""
        return [
            cls.pyd_int,
            cls.pyd_int_plain,
            cls.pyd_number,
            cls.pyd_bool,
            cls.pyd_string,
            cls.pyd_list,
            cls.pyd_mapping,
            cls.pyd_ge,
            cls.pyd_gt,
            cls.pyd_le,
            cls.pyd_lt,
            cls.pyd_one_of,
        ]

    # -- errors of the standard and of validate (standard/, pipeline/validate.py)
    err_unknown_profile = Message(
        "profil {spec} tidak dikenal: bukan profil bawaan ({names}) dan tidak ada berkas itu",
        "unknown profile {spec}: not a built-in profile ({names}) and no such file",
    )
    err_profile_loop = Message(
        "{path}: profil saling memperluas dalam lingkaran",
        "{path}: profiles extend each other in a loop",
    )
    err_profile_field = Message(
        "{path}: {field} bukan kolom standar", "{path}: {field} is not a field of the standard"
    )
    err_profile_rule = Message(
        "{where}: rules: {rule} bukan id aturan satudata (lihat tabel aturan di docs/validate.md)",
        "{where}: rules: {rule} is not a rule id of satudata (see the table of rules in "
        "docs/validate.md)",
    )

    err_paths_and_catalog = Message(
        "beri JALUR atau --catalog, tidak keduanya", "give either PATHs or --catalog, not both"
    )
    err_source_needs_catalog = Message(
        "--source dipakai bersama --catalog", "--source goes with --catalog"
    )
    err_no_paths = Message(
        "beri setidaknya satu JALUR (berkas, folder, atau '-' untuk masukan standar)",
        "give at least one PATH (a file, a folder, or '-' for standard input)",
    )
    err_no_path = Message("jalur tidak ada: {path}", "path does not exist: {path}")
    err_name_too_long = Message(
        "nama berkas terlalu panjang untuk sistem berkas: {path}",
        "file name too long for the file system: {path}",
    )
    err_unknown_catalogue_sources = Message(
        "sumber tidak dikenal di katalog: {ids} (yang ada: {known})",
        "unknown source(s) in the catalogue: {ids} (known: {known})",
    )
    err_nothing_to_report = Message(
        "katalog {path} tidak memiliki dataset aktif{scope}; tidak ada yang dilaporkan "
        "(panen dulu: 'satudata harvest --all')",
        "the catalogue {path} holds no active dataset{scope}; nothing to report (harvest "
        "first: 'satudata harvest --all')",
    )
    err_of_sources = Message(" dari sumber {sources}", " of source(s) {sources}")

    # -- sources (sources/)
    err_src_is_folder = Message(
        "{path} adalah folder, bukan berkas", "{path} is a folder, not a file"
    )
    err_src_no_file = Message("{path} tidak ada", "{path} does not exist")
    err_src_no_folder = Message("folder {path} tidak ada", "folder {path} does not exist")
    err_src_unreadable = Message(
        "tidak dapat membaca {path}: {reason}", "cannot read {path}: {reason}"
    )

    err_src_html_page = Message(
        "{where} adalah halaman HTML{served}, bukan dokumennya: halaman masuk, galat atau "
        "pemeliharaan, atau tautan ke penampil alih-alih unduhan; periksa URL-nya di peramban",
        "{where} is an HTML page{served}, not the document itself: a login, error or "
        "maintenance page, or a link to a viewer instead of the download; check the URL in a "
        "browser",
    )
    err_no_such_path = Message(
        "{path}: berkas atau folder tidak ada", "{path}: no such file or directory"
    )
    err_cannot_read_dir = Message(
        "{path}: folder tidak dapat dibaca ({reason})",
        "{path}: cannot read the directory ({reason})",
    )

    # -- exports (exports/)
    err_unknown_export_format = Message(
        "format ekspor {name} tidak dikenal (yang ada: {known})",
        "unknown export format {name} (known: {known})",
    )
    err_export_unavailable = Message(
        "format ekspor {name} tidak tersedia di instalasi satudata ini ({reason}); pilih "
        "{choices} atau {last}",
        "the export format {name} is not available in this installation of satudata "
        "({reason}); choose {choices} or {last}",
    )

    # -- HTTP (core/http.py)
    http_callers_deadline = Message("batas waktu pemanggil", "the caller's deadline")
    http_job_deadline = Message("batas waktu tugas", "the job deadline")
    err_http_response_deadline = Message(
        "jawaban memakan waktu lebih dari {seconds} detik secara keseluruhan "
        "(http.response_deadline): server mengirim terlalu lambat atau tidak pernah selesai",
        "the response took longer than {seconds} s as a whole (http.response_deadline): the "
        "server sends too slowly or never finishes",
    )
    err_http_deadline_passed = Message(
        "{what} lewat saat menunggu jawaban", "{what} passed while waiting for the response"
    )
    err_http_no_retry_before = Message(
        " ({what} tiba sebelum percobaan ulang dapat dilakukan)",
        " ({what} comes before a retry could be made)",
    )
    err_http_ca_bundle = Message(
        "http.ca_bundle: {path} tidak dapat dipakai sebagai bundel sertifikat PEM: {reason}",
        "http.ca_bundle: {path} cannot be used as a PEM certificate bundle: {reason}",
    )
    err_http_bad_url = Message("bukan URL yang sah: {url}", "not a valid URL: {url}")
    err_http_connect_timeout = Message(
        "tidak dapat tersambung ke {url} dalam {seconds} detik",
        "could not connect to {url} within {seconds} s",
    )
    err_http_read_timeout = Message(
        "tidak ada jawaban dari {url} dalam {seconds} detik (batas waktu baca)",
        "no answer from {url} within {seconds} s (read timeout)",
    )
    err_http_tls = Message(
        "sertifikat TLS {url} tidak dipercaya ({reason}); bila portal memakai CA pemerintah "
        "atau CA privat, berikan berkas PEM-nya sebagai http.ca_bundle",
        "the TLS certificate of {url} is not trusted ({reason}); if the portal uses a "
        "government or private CA, give its PEM file as http.ca_bundle",
    )
    err_http_connect = Message(
        "tidak dapat tersambung ke {url}: {reason}", "cannot connect to {url}: {reason}"
    )
    err_http_broken = Message(
        "sambungan ke {url} putus sebelum seluruh jawaban tiba ({reason})",
        "the connection to {url} broke before the whole response arrived ({reason})",
    )
    err_http_decompress = Message(
        "jawaban dari {url} tidak dapat didekompresi",
        "the response from {url} could not be decompressed",
    )
    err_http_failed = Message(
        "permintaan ke {url} gagal: {reason}", "request to {url} failed: {reason}"
    )
    err_http_retry_after = Message(
        " (server meminta mencoba lagi setelah {wait} detik, lebih lama dari {max} detik yang "
        "ditunggu satudata; coba lagi nanti)",
        " (the server asks to retry after {wait} s, longer than the {max} s satudata waits; "
        "try again later)",
    )
    err_http_gave_up = Message(" (menyerah setelah {n} percobaan)", " (gave up after {n} attempts)")
    err_http_redirects = Message(
        "{url} mengalihkan lebih dari {n} kali", "{url} redirects more than {n} times"
    )
    err_http_too_large = Message(
        "jawaban dari {url} (HTTP {status}) lebih besar dari {mib} MiB (http.max_response_mb)",
        "the response from {url} (HTTP {status}) is larger than {mib} MiB (http.max_response_mb)",
    )
    err_http_post_redirect = Message(
        "POST tidak diikuti (POST yang dialihkan kehilangan isinya); pakai alamat akhirnya di "
        "konfigurasi",
        "POSTs are not followed (a redirected POST loses its body); use the final address in "
        "the configuration",
    )
    err_http_no_redirect = Message(
        "pengalihan tidak dapat diikuti", "the redirect cannot be followed"
    )
    err_http_redirect = Message(
        "HTTP {status} dari {url} ke {location}: {what}",
        "HTTP {status} from {url} to {location}: {what}",
    )
    err_http_status = Message("HTTP {status} dari {url}", "HTTP {status} from {url}")
    err_http_no_content_type = Message("isi tanpa Content-Type", "a body without Content-Type")
    err_http_not_json = Message(
        "diharapkan JSON, diterima {got} (HTTP {status}) dari {url}",
        "expected JSON, got {got} (HTTP {status}) from {url}",
    )
    err_http_json_too_deep = Message(
        "JSON terlalu dalam bersarang untuk dibaca", "the JSON is nested too deeply to read"
    )
    err_http_empty_body = Message(": isinya kosong", ": the body is empty")
    err_http_broken_json = Message(
        "JSON rusak atau terpotong ({reason})", "the JSON is broken or cut off ({reason})"
    )

    # -- errors of the katalog (catalogue/)
    err_cat_folder = Message(
        "katalog {path} adalah folder, bukan berkas", "catalogue {path} is a folder, not a file"
    )
    err_cat_missing = Message(
        "tidak ada katalog di {path}; jalankan `satudata harvest` lebih dulu atau pilih "
        "berkasnya dengan --db",
        "there is no catalogue at {path}; run `satudata harvest` first or choose the file "
        "with --db",
    )
    err_cat_mkdir = Message(
        "tidak dapat membuat folder katalog {path}: {reason}",
        "cannot create the folder of catalogue {path}: {reason}",
    )
    err_cat_open = Message(
        "tidak dapat membuka katalog {path}: {reason}", "cannot open catalogue {path}: {reason}"
    )
    err_cat_foreign = Message(
        "{path} adalah basis data SQLite milik aplikasi lain, bukan katalog satudata; pilih "
        "berkas lain dengan --db",
        "{path} is an SQLite database of another application, not a satudata catalogue; "
        "choose another file with --db",
    )
    err_cat_newer = Message(
        "katalog {path} memiliki versi skema {version}, ditulis oleh satudata yang lebih "
        "baru; versi ini hanya mengenal sampai {known}. Perbarui satudata untuk memakainya",
        "catalogue {path} has schema version {version}, written by a newer satudata; this "
        "one knows versions up to {known}. Upgrade satudata to use it",
    )
    err_cat_busy = Message(
        "katalog {path} sibuk: proses lain menguncinya lebih dari {seconds} detik saat {action}",
        "catalogue {path} is busy: another process kept it locked for more than {seconds} s "
        "while {action}",
    )
    err_cat_not_sqlite = Message(
        "{path} bukan katalog satudata (bukan basis data SQLite); pilih berkas lain dengan --db",
        "{path} is not a satudata catalogue (not an SQLite database); choose another file "
        "with --db",
    )
    err_cat_damaged = Message(
        "katalog {path} rusak ({reason}); pulihkan cadangan atau selamatkan dengan "
        "`sqlite3 BERKAS .recover`",
        "catalogue {path} is damaged ({reason}); restore a backup or recover it with "
        "`sqlite3 FILE .recover`",
    )
    err_cat_write = Message(
        "tidak dapat menulis katalog {path}: {reason}", "cannot write catalogue {path}: {reason}"
    )
    err_cat_failed = Message(
        "katalog {path}: {action} gagal: {reason}", "catalogue {path}: {action} failed: {reason}"
    )
    # why a catalogue file cannot be opened or written (catalogue/access.py)
    acc_hint = Message(
        "pilih tempat lain dengan --db (atau SATUDATA_DB), atau perbaiki izinnya",
        "choose another place with --db (or SATUDATA_DB), or fix the permissions",
    )
    acc_eacces = Message("izin ditolak", "permission denied")
    acc_eperm = Message(
        "tidak diizinkan (berkas atau folder yang dikunci/immutable)",
        "not permitted (an immutable or protected file or folder)",
    )
    acc_erofs = Message("sistem berkasnya hanya-baca", "the file system is read-only")
    acc_notdir = Message(
        "sebagian dari path adalah berkas, bukan folder",
        "a part of the path is a file, not a folder",
    )
    acc_enoent = Message(
        "sebuah folder dari path tidak ada dan tidak dapat dibuat di sana",
        "a folder of the path does not exist and cannot be created there",
    )
    acc_enospc = Message("ruang disk habis", "no space left on the disk")
    acc_edquot = Message("kuota disk habis", "the disk quota is used up")
    acc_eisdir = Message("itu folder, bukan berkas", "it is a folder, not a file")
    acc_no_new_files = Message("folder itu tidak menerima berkas baru", "it takes no new files")
    acc_read_only = Message("hanya-baca", "read-only")
    acc_is_folder = Message(
        "katalog {path} adalah folder, bukan berkas; pilih sebuah berkas dengan --db (atau "
        "SATUDATA_DB), mis. --db satudata.db",
        "the catalogue {path} is a folder, not a file; choose a file with --db (or "
        "SATUDATA_DB), e.g. --db satudata.db",
    )
    acc_folder_not_created = Message(
        "folder {folder} untuk katalog {path} tidak dapat dibuat: {reason}; {hint}",
        "cannot create the folder {folder} for the catalogue {path}: {reason}; {hint}",
    )
    acc_folder_not_writable = Message(
        "katalog {path} tidak dapat dipakai: foldernya {folder} tidak dapat ditulisi "
        "({reason}); satudata membuat berkas di samping katalog (berkas -wal dan -shm, bahkan "
        "untuk membacanya, dan .lock); {hint}",
        "cannot use the catalogue {path}: its folder {folder} cannot be written ({reason}); "
        "satudata creates files beside the catalogue (its -wal and -shm files, even to read "
        "it, and the .lock); {hint}",
    )
    acc_file_not_writable = Message(
        "katalog {path} tidak dapat ditulis: berkasnya tidak dapat ditulisi ({reason}); "
        "perintah yang hanya membaca tetap bisa; {hint}",
        "cannot write the catalogue {path}: the file cannot be written ({reason}); commands "
        "that only read it still work; {hint}",
    )
    acc_file_not_readable = Message(
        "katalog {path} tidak dapat dibaca ({reason}); {hint}",
        "cannot read the catalogue {path} ({reason}); {hint}",
    )
    acc_lock_not_writable = Message(
        "katalog {path} tidak dapat dipakai: berkas kuncinya {lock} tidak dapat ditulisi "
        "({reason}); {hint}",
        "cannot use the catalogue {path}: its lock file {lock} cannot be written ({reason}); "
        "{hint}",
    )
    err_lock_held = Message(
        "katalog {path} sedang dipakai oleh {holder}; coba lagi setelah selesai",
        "the catalogue {path} is in use by {holder}; try again when it has finished",
    )
    err_lock_still_held = Message(
        "katalog {path} masih dipakai oleh {holder} setelah menunggu {seconds} detik "
        "(--lock-wait); coba lagi setelah selesai",
        "the catalogue {path} is still in use by {holder} after waiting {seconds} s "
        "(--lock-wait); try again when it has finished",
    )
    log_lock_waiting = Message(
        "katalog {path} sedang dipakai oleh {holder}; menunggu paling lama {seconds} detik",
        "the catalogue {path} is in use by {holder}; waiting up to {seconds} s for it",
    )
    lock_another_run = Message("proses satudata lain", "another satudata run")
    lock_process = Message("proses {pid}", "process {pid}")
    lock_on_host = Message(" di {host}", " on {host}")
    lock_since = Message(", sejak {since}", ", since {since}")
    err_search_no_word = Message(
        "pencarian {query} tidak memiliki kata untuk dicari",
        "the search {query} has no word to look for",
    )
    err_search_bad = Message(
        "pencarian {query} tidak dapat dipakai: {reason}",
        "the search {query} cannot be used: {reason}",
    )
    err_ambiguous_name = Message(
        "{n} dataset bernama {value}; sebut satu dengan id atau sebagai sumber:id_jarak_jauh "
        "({places})",
        "{n} datasets have the name {value}; name one by id or as source:remote_id ({places})",
    )
    err_ambiguous_remote_id = Message(
        "{n} dataset memiliki id jarak jauh {value}; sebut satu dengan id atau sebagai "
        "sumber:id_jarak_jauh ({places})",
        "{n} datasets have the remote id {value}; name one by id or as source:remote_id ({places})",
    )
    err_unknown_report_format = Message(
        "format laporan {name} tidak dikenal (yang ada: {known})",
        "unknown report format {name} (known: {known})",
    )

    # -- what the katalog was doing when SQLite failed (catalogue/db.py _guard)
    act_read_publish_state = Message("membaca status penerbitan", "reading the publish state")
    act_forget_publish_state = Message("melupakan status penerbitan", "forgetting publish state")
    act_load_datasets = Message(
        "memuat dataset sumber {source}", "loading the datasets of source {source}"
    )
    act_store_batch = Message("menyimpan sekumpulan dataset", "storing a batch of datasets")
    act_open = Message("membuka", "opening")
    act_read_schema_version = Message("membaca versi skema", "reading the schema version")
    act_save_source = Message("menyimpan sumber {source}", "saving source {source}")
    act_list_sources = Message("mendaftar sumber", "listing sources")
    act_start_job = Message(
        "memulai tugas untuk sumber {source}", "starting a job for source {source}"
    )
    act_read_job = Message("membaca tugas {job}", "reading job {job}")
    act_finish_job = Message("menyelesaikan tugas {job}", "finishing job {job}")
    act_check_interrupted = Message(
        "memeriksa tugas yang terhenti", "checking for interrupted jobs"
    )
    act_mark_interrupted = Message("menandai tugas yang terhenti", "marking interrupted jobs")
    act_read_jobs = Message("membaca tugas", "reading jobs")
    act_withdraw = Message(
        "menarik dataset sumber {source}", "withdrawing datasets of source {source}"
    )
    act_count_orgs = Message("menghitung organisasi", "counting organizations")
    act_prune = Message("memangkas riwayat tugas", "pruning job history")
    act_vacuum = Message("memadatkan katalog", "compacting the catalogue")
    act_list_datasets = Message("mendaftar dataset", "listing datasets")
    act_read_records = Message("membaca rekaman", "reading records")
    act_search = Message("mencari", "searching")
    act_read_dataset = Message("membaca dataset", "reading a dataset")
    act_count_datasets = Message("menghitung dataset", "counting datasets")
    act_list_jobs = Message("mendaftar tugas", "listing jobs")
    act_read_source_datasets = Message(
        "membaca dataset sumber {source}", "reading the datasets of source {source}"
    )
    act_report = Message("membaca untuk laporan", "reading for the report")
    act_reindex = Message("membangun ulang indeks pencarian", "rebuilding the search index")
    act_integrity = Message("memeriksa keutuhan", "checking integrity")

    # -- links-check (issue 13): add this workstream's entries directly below this line --
    act_link_read = Message("membaca pemeriksaan tautan", "reading link checks")
    act_link_write = Message("mencatat pemeriksaan tautan", "recording link checks")
    # the short reason of each link verdict (satudata_cli/links/check.py)
    link_ok = Message("dapat diakses (HTTP {status})", "reachable (HTTP {status})")
    link_redirected = Message(
        "dialihkan permanen (HTTP {status}) ke {url}: perbarui metadata",
        "permanently redirected (HTTP {status}) to {url}: update the metadata",
    )
    link_nxdomain = Message(
        "nama domain {host} tidak ada (DNS)", "the domain name {host} does not exist (DNS)"
    )
    link_refused = Message(
        "koneksi ditolak pada setiap percobaan", "connection refused on every try"
    )
    link_not_found = Message("tidak ditemukan (HTTP {status})", "not found (HTTP {status})")
    link_gone = Message("sudah dihapus (HTTP {status})", "gone (HTTP {status})")
    link_tls = Message("sertifikat TLS tidak sah: {detail}", "invalid TLS certificate: {detail}")
    link_tls_local = Message(
        "sertifikat TLS tidak dapat diverifikasi dengan sertifikat lokal: {detail}",
        "the TLS certificate cannot be verified with the local trust store: {detail}",
    )
    link_auth = Message(
        "perlu login atau akses ditolak (HTTP {status})",
        "needs a login or access is denied (HTTP {status})",
    )
    link_waf = Message(
        "tantangan firewall aplikasi web (HTTP {status})",
        "web application firewall challenge (HTTP {status})",
    )
    link_rate_limited = Message(
        "dibatasi laju (HTTP {status}) setelah {tries} percobaan",
        "rate-limited (HTTP {status}) after {tries} tries",
    )
    link_wait_too_long = Message(
        "server meminta menunggu {seconds} detik (HTTP {status})",
        "the server asks to wait {seconds} s (HTTP {status})",
    )
    link_timeout = Message("waktu habis setelah {seconds} detik", "timed out after {seconds} s")
    link_server_error = Message(
        "galat server yang menetap (HTTP {status})", "persistent server error (HTTP {status})"
    )
    link_other_status = Message(
        "jawaban HTTP {status} yang tidak memastikan tautan",
        "HTTP {status}, which neither confirms nor refutes the link",
    )
    link_dropped = Message(
        "koneksi diputus server: {detail}", "the server dropped the connection: {detail}"
    )
    link_dns_failed = Message(
        "DNS tidak menjawab untuk {host}: {detail}", "DNS did not answer for {host}: {detail}"
    )
    link_network = Message("galat jaringan: {detail}", "network error: {detail}")
    link_redirect_loop = Message("pengalihan berputar: {url}", "redirect loop: {url}")
    link_too_many_redirects = Message(
        "lebih dari {limit} pengalihan", "more than {limit} redirects"
    )
    link_redirect_elsewhere = Message(
        "dialihkan ke {url}, yang tidak diperiksa: {detail}",
        "redirected to {url}, which is not checked: {detail}",
    )
    link_scheme = Message(
        "skema {scheme}: tidak diambil (hanya http dan https)",
        "{scheme} scheme: not fetched (only http and https)",
    )
    link_private = Message(
        "alamat privat, loopback atau link-local ({address}): tidak diambil tanpa --allow-private",
        "private, loopback or link-local address ({address}): not fetched without --allow-private",
    )
    link_invalid = Message("bukan URL yang sah: {detail}", "not a valid URL: {detail}")
    help_links_app = Message(
        "Tautan dataset: periksa apakah link_akses dan URL sumber daya masih hidup.",
        "Dataset links: check whether link_akses and resource URLs still work.",
    )
    help_links_check = Message(
        "Periksa link_akses dan setiap URL sumber daya dari dataset aktif di katalog, lalu "
        "catat hasilnya (ok, rusak, tak terverifikasi, dialihkan permanen).\n\n"
        "HEAD dahulu, lalu GET dengan Range untuk memastikan; paling banyak --per-host "
        "permintaan bersamaan ke satu host. URL yang sama dari banyak dataset diambil "
        "sekali. Tanpa jaringan: berhenti dengan kode 5 tanpa menandai apa pun.",
        "Check link_akses and every resource URL of the active datasets in the catalogue "
        "and record the verdicts (ok, broken, unverifiable, redirected permanently).\n\n"
        "HEAD first, then GET with Range to confirm; at most --per-host requests at once "
        "to one host. A URL given by many datasets is fetched once. Without network: "
        "stops with exit 5 and marks nothing.",
    )
    help_links_organization = Message(
        "Hanya dataset dari organisasi ini (dapat diulang).",
        "Only datasets of this organization (repeatable).",
    )
    help_links_max_age = Message(
        "Jangan periksa lagi URL yang diperiksa kurang dari HARI hari yang lalu (0: "
        "periksa semua).",
        "Do not check again a URL checked less than DAYS days ago (0: check all).",
    )
    help_links_concurrency = Message(
        "Permintaan yang berjalan bersamaan, semua host.", "Requests in flight, all hosts."
    )
    help_links_per_host = Message(
        "Permintaan bersamaan paling banyak ke satu host.",
        "Requests in flight to one host at most.",
    )
    help_links_timeout = Message(
        "Batas waktu satu permintaan, dalam detik.", "Time limit of one request, in seconds."
    )
    help_links_dry_run = Message(
        "Hitung URL yang akan diperiksa, tanpa permintaan dan tanpa menulis apa pun.",
        "Count the URLs that would be checked; no request, nothing written.",
    )
    help_links_allow_private = Message(
        "Izinkan alamat privat, loopback dan link-local (biasanya ditolak agar metadata "
        "tidak membuat pemeriksa menjelajah jaringan walidata sendiri).",
        "Allow private, loopback and link-local addresses (refused by default, so that "
        "metadata cannot make the check probe the walidata's own network).",
    )
    msg_links_summary = Message(
        "Pemeriksaan tautan{run}: {urls} URL ({links} tautan) di {hosts} host, {seconds} detik.",
        "Link check{run}: {urls} URLs ({links} links) on {hosts} hosts, {seconds} s.",
    )
    msg_links_nothing = Message(
        "Tidak ada tautan yang perlu diperiksa (semua diperiksa kurang dari {days} hari lalu, "
        "atau tidak ada dataset aktif dengan tautan).",
        "No link to check (all were checked less than {days} days ago, or no active "
        "dataset has a link).",
    )
    msg_links_dry_run = Message(
        "Uji coba: tidak ada permintaan dan tidak ada yang ditulis.",
        "Dry run: no request was made and nothing was written.",
    )
    msg_links_broken_note = Message(
        "Catatan: tautan dihitung rusak di laporan hanya setelah gagal pada dua pemeriksaan "
        "yang berselang paling sedikit {hours} jam.",
        "Note: a link counts as broken in reports only after failing in two checks at "
        "least {hours} hours apart.",
    )
    msg_progress_links = Message("{n} URL", "{n} URLs")
    title_links_problems = Message("URL yang tidak ok", "URLs that are not ok")
    err_links_unknown_source = Message(
        "sumber tidak dikenal di katalog: {ids} (dikenal: {known})",
        "unknown source in the catalogue: {ids} (known: {known})",
    )
    err_links_no_network = Message(
        "Pemeriksa tautan tidak punya jaringan: tidak satu pun dari {hosts} host menjawab "
        "(DNS, rute atau koneksi gagal dengan cara yang sama). Tidak ada tautan yang "
        "ditandai; periksa jaringan komputer ini lalu jalankan lagi.",
        "The link check has no network: none of {hosts} hosts answered (DNS, route or "
        "connection failed the same way). No link was marked; check this computer's "
        "network and run it again.",
    )
    # (end of links-check (issue 13))

    # -- links-report (issue 13): add this workstream's entries directly below this line --
    help_report_links = Message(
        "Tautan rusak per perangkat daerah, dari pemeriksaan tautan yang tersimpan.\n\n"
        "Per perangkat daerah: jumlah tautan (link_akses dan URL sumber daya dataset aktif), "
        "yang diperiksa, rusak, tidak dapat dipastikan, bagian yang rusak, tautan rusak "
        "tertua dan sudah berapa hari rusak. Rusak berarti gagal pada dua pemeriksaan "
        "berjarak sedikitnya 20 jam; tidak dapat dipastikan tidak pernah dihitung rusak. "
        "Jalankan 'satudata links check' dahulu.\n\n"
        "Kode keluar: 0 berhasil; 2 galat penggunaan; 5 tidak ada katalog atau tautan.",
        "Broken links per agency (perangkat daerah), from the stored link checks.\n\n"
        "Per agency: links (link_akses and resource URLs of active datasets), checked, "
        "broken, unverifiable, the share broken, the oldest broken link and how many days "
        "it has been broken. Broken means failed in two checks at least 20 hours apart; "
        "unverifiable is never counted as broken. Run 'satudata links check' first.\n\n"
        "Exit codes: 0 ok; 2 usage error; 5 no catalogue or no link.",
    )
    report_links_format_csv = Message(
        "satu baris per perangkat daerah atau tautan", "one row per agency or link"
    )
    help_report_links_detail = Message(
        "Setiap tautan dengan statusnya (satu baris per tautan pada csv).",
        "Every link with its status (one row per link in csv).",
    )
    # (end of links-report (issue 13))

    # -- history (issue 14): add this workstream's entries directly below this line --
    err_no_history = Message(
        "katalog {path} belum memiliki riwayat: setiap panen yang selesai menyimpan satu "
        "potret per perangkat daerah (panen dulu: 'satudata harvest --all')",
        "the catalogue {path} holds no history yet: every harvest that ends stores one "
        "snapshot per agency (harvest first: 'satudata harvest --all')",
    )
    err_history_window = Message(
        "--since {since} jatuh setelah --until {until}",
        "--since {since} is after --until {until}",
    )
    err_history_no_job = Message(
        "katalog tidak memiliki tugas panen {id} (lihat 'satudata jobs list')",
        "the catalogue holds no harvest job {id} (see 'satudata jobs list')",
    )
    act_thin_history = Message("memangkas riwayat pemantauan", "thinning the monitoring history")
    help_report_trend = Message(
        "Skor, kepatuhan dan keterlambatan per perangkat daerah dari waktu ke waktu, dari "
        "potret yang disimpan setiap panen; dengan perubahan selama periode dan peringkat.",
        "Score, compliance and overdue datasets per agency over time, from the snapshots "
        "every harvest stores; with the change over the window and a rank.",
    )
    help_report_changes = Message(
        "Dataset yang ditambah, diperbarui (kolom apa), ditarik dan dipulihkan per "
        "perangkat daerah dalam suatu rentang, serta temuan baru dan yang diperbaiki.",
        "Datasets added, updated (which fields), withdrawn and restored per agency in a "
        "window, and the findings new and fixed.",
    )
    help_history_since = Message(
        "Tanggal awal (YYYY-MM-DD; bawaan: trend setahun, changes seminggu sebelum --until).",
        "First day (YYYY-MM-DD; default: a year before --until for trend, a week for changes).",
    )
    help_history_until = Message(
        "Tanggal akhir (YYYY-MM-DD, termasuk; bawaan: hari ini, UTC).",
        "Last day (YYYY-MM-DD, included; default: today, UTC).",
    )
    help_history_every = Message(
        "Panjang satu periode: day, week (mulai Senin) atau month.",
        "Length of one period: day, week (from Monday) or month.",
    )
    help_history_since_job = Message(
        "Perubahan sesudah tugas panen ini (nomor dari 'satudata jobs list'), bukan --since.",
        "Changes after this harvest job (its number in 'satudata jobs list'), instead of --since.",
    )
    help_history_output = Message(
        "Tulis ke berkas ini; FOLDER/ (diakhiri '/', atau folder yang ada) dengan --by "
        "organization menulis satu berkas per perangkat daerah, namanya dari slug nama.",
        "Write to this file; FOLDER/ (ending in '/', or an existing folder) with --by "
        "organization writes one file per agency, named by a slug of its name.",
    )
    help_history_format = Message("Bentuk keluaran: {formats}.", "Output format: {formats}.")
    err_history_both_since = Message(
        "pilih --since atau --since-job, bukan keduanya", "give --since or --since-job, not both"
    )
    err_history_folder = Message(
        "tidak dapat menulis ke folder {path}: {reason}",
        "cannot write to the folder {path}: {reason}",
    )
    msg_history_files = Message("{n} berkas ditulis ke {path}", "{n} files written to {path}")
    # (end of history (issue 14))

    # -- site (issue 14): add this workstream's entries directly below this line --
    help_report_site = Message(
        "Situs web statis per perangkat daerah, siap disalin ke server web mana pun.\n\n"
        "Halaman depan (ringkasan kota: skor dan kemutakhiran per perangkat daerah) dan "
        "satu halaman per perangkat daerah (datasetnya dengan skor, temuan dan "
        "kemutakhiran). Mandiri: tanpa server, tanpa permintaan ke luar, tautan relatif "
        "saja. Ditulis ke folder sementara lalu dipindahkan, sehingga cron tidak pernah "
        "menerbitkan situs setengah jadi.\n\n"
        "Kode keluar: 0 berhasil; 2 galat penggunaan (folder berisi berkas lain); 5 tidak "
        "ada katalog atau dataset aktif.",
        "A static website per agency (perangkat daerah), ready to copy to any web server.\n\n"
        "An index page (the city's overview: score and freshness per agency) and one page "
        "per agency (its datasets with their score, findings and freshness). "
        "Self-contained: no server, no external requests, relative links only. Written to "
        "a temporary folder and then moved into place, so a cron job never publishes a "
        "half-written site.\n\n"
        "Exit codes: 0 ok; 2 usage error (the folder holds other files); 5 no catalogue "
        "or no active dataset.",
    )
    help_site_output_dir = Message(
        "Folder situs (dibuat atau diganti seluruhnya; hanya folder kosong atau situs "
        "satudata sebelumnya).",
        "Folder of the site (created or replaced as a whole; only an empty folder or a "
        "previous satudata site).",
    )
    help_site_title = Message(
        "Judul situs (bawaan: judul laporan kepatuhan).",
        "Title of the site (default: the compliance report's title).",
    )
    help_site_base_url = Message(
        "URL tempat situs diterbitkan, untuk tautan kanonis (misalnya "
        "https://data.kota.go.id/kepatuhan/).",
        "URL where the site is published, for canonical links (e.g. "
        "https://data.kota.go.id/kepatuhan/).",
    )
    help_site_as_of = Message(
        "Hari yang digambarkan situs (YYYY-MM-DD): kemutakhiran dinilai per hari ini, tren "
        "dan perubahan sampai hari ini; bawaan hari ini (UTC).",
        "The day the site describes (YYYY-MM-DD): freshness judged as of it, trend and "
        "changes up to it; default today (UTC).",
    )
    err_site_not_ours = Message(
        "{path} sudah ada dan bukan situs buatan satudata; pilih folder baru atau kosong.",
        "{path} exists and is not a site made by satudata; choose a new or empty folder.",
    )
    err_site_write = Message(
        "Situs tidak dapat ditulis ke {path}: {error}",
        "Cannot write the site to {path}: {error}",
    )
    err_site_base_url = Message(
        "--base-url harus URL http(s) absolut: {value}",
        "--base-url must be an absolute http(s) URL: {value}",
    )
    msg_site_written = Message(
        "Situs ditulis ke {path}: {pages} halaman.",
        "Site written to {path}: {pages} pages.",
    )
    # (end of site (issue 14))

    # -- plan (issue 14): add this workstream's entries directly below this line --
    help_report_realisasi = Message(
        "Realisasi Daftar Data: setiap data yang direncanakan per perangkat daerah dicocokkan "
        "dengan katalog (sudah terbit, terbit dan patuh, perlu dikonfirmasi, belum ada).",
        "Realisasi of the Daftar Data: each agency's planned datasets matched to the katalog "
        "(published, published and compliant, to confirm, missing).",
    )
    help_plan_file = Message(
        "Berkas Daftar Data (CSV, TSV atau XLSX): perangkat daerah, judul, frekuensi, "
        "opsional tahun dan id dataset.",
        "The Daftar Data file (CSV, TSV or XLSX): agency, title, frequency, optionally year "
        "and dataset id.",
    )
    help_plan_year = Message(
        "Hanya baris tahun ini (bila berkas punya kolom tahun).",
        "Only the rows of this year (when the file has a year column).",
    )
    err_plan_unreadable = Message(
        "Daftar Data {path} tidak dapat dibaca: {reason}",
        "The Daftar Data {path} cannot be read: {reason}",
    )
    err_plan_not_a_table = Message(
        "Daftar Data {path} bukan tabel: gunakan CSV, TSV atau XLSX dengan baris judul kolom.",
        "The Daftar Data {path} is not a table: use CSV, TSV or XLSX with a heading row.",
    )
    err_plan_columns = Message(
        "Daftar Data {path} tidak punya kolom perangkat daerah dan judul (judul kolom: "
        "{headings}); lihat docs/reports.md.",
        "The Daftar Data {path} has no agency and title columns (headings: {headings}); see "
        "docs/reports.md.",
    )
    err_plan_empty = Message("Daftar Data {path} kosong.", "The Daftar Data {path} is empty.")
    err_plan_no_entries = Message(
        "Daftar Data {path} tidak berisi rencana untuk tahun {year}.",
        "The Daftar Data {path} holds no planned dataset for the year {year}.",
    )
    msg_plan_row_incomplete = Message(
        "Baris tanpa perangkat daerah atau judul.", "A row without agency or title."
    )
    msg_plan_agency_unknown = Message(
        "Perangkat daerah ini tidak punya dataset aktif di katalog.",
        "This agency has no active dataset in the katalog.",
    )
    msg_plan_no_title = Message(
        "Tidak ada judul dataset perangkat daerah ini yang mirip.",
        "No dataset title of this agency is close.",
    )
    msg_plan_taken = Message(
        "Dataset yang paling mirip sudah dicocokkan dengan baris rencana lain.",
        "The closest dataset is already matched to another planned entry.",
    )
    msg_plan_close = Message(
        "Beberapa dataset sama miripnya: pilih yang benar.",
        "Several datasets are about as close: choose the right one.",
    )
    msg_plan_weak = Message(
        "Judul mirip tetapi tidak cukup pasti: periksa.",
        "A similar title, not close enough to be sure: check it.",
    )
    msg_plan_id_unknown = Message(
        "Tidak ada dataset aktif dengan id ini.", "No active dataset has this id."
    )
    msg_plan_id_several = Message(
        "Beberapa dataset aktif memakai id ini.", "Several active datasets have this id."
    )
    help_catalog_datasette = Message(
        "Tulis metadata Datasette untuk katalog: deskripsi tabel dan kolom, faset dan kueri "
        "siap pakai (datasette satudata.db -m metadata.json).",
        "Write Datasette metadata for the katalog: table and column descriptions, facets and "
        "canned queries (datasette satudata.db -m metadata.json).",
    )
    dsm_title = Message("Katalog Satu Data", "Satu Data katalog")
    dsm_about = Message(
        "Metadata dataset perangkat daerah yang dipanen satudata: standar Satu Data Indonesia, "
        "temuan validasi, riwayat panen dan publikasi.",
        "Dataset metadata of the agencies, harvested by satudata: the Satu Data Indonesia "
        "standard, validation findings, harvest and publish history.",
    )
    dsm_q_overdue = Message(
        "Dataset terlambat diperbarui per perangkat daerah",
        "Overdue datasets per agency",
    )
    dsm_q_overdue_about = Message(
        "Dataset aktif, yang terlambat menurut jadwal pemutakhiran (dinilai seperti satudata "
        "report freshness, per hari ini) dan keterlambatan terlama dalam hari.",
        "Active datasets, those overdue by their jadwal pemutakhiran (judged like satudata "
        "report freshness, as of today) and the longest delay in days.",
    )
    dsm_q_overdue_list = Message("Dataset yang terlambat diperbarui", "Overdue datasets")
    dsm_q_overdue_list_about = Message(
        "Setiap dataset aktif yang terlambat, yang paling lama lebih dulu.",
        "Every overdue active dataset, the longest overdue first.",
    )
    dsm_q_invalid = Message(
        "Dataset tidak valid beserta temuannya", "Invalid datasets with their findings"
    )
    dsm_q_invalid_about = Message(
        "Dataset aktif dengan galat terhadap standar, dengan setiap galat (aturan: pesan).",
        "Active datasets with errors against the standard, with each error (rule: message).",
    )
    dsm_q_changed = Message("Berubah minggu ini", "Changed this week")
    dsm_q_changed_about = Message(
        "Dataset yang ditambahkan, diperbarui, ditarik atau dipulihkan oleh panen dalam tujuh "
        "hari terakhir.",
        "Datasets added, updated, withdrawn or restored by a harvest in the last seven days.",
    )
    err_datasette_no_tables = Message(
        "{path} bukan katalog satudata (tidak ada tabel datasets).",
        "{path} is not a satudata katalog (it has no datasets table).",
    )
    # (end of plan (issue 14))

    # -- perf (issue 15): add this workstream's entries directly below this line --
    # (end of perf (issue 15))

    # -- fidelity (issue 12): add this workstream's entries directly below this line --

    # -- pilar (issue 14): add this workstream's entries directly below this line --
    cfg_pilar_in_defaults = Message(
        "pilar tidak diisi lewat defaults: tulis kunci sumber pilar: (untuk semua dataset) "
        "atau pilar_by_organization: (per perangkat daerah)",
        "pilar is not set through defaults: write the source key pilar: (every dataset) or "
        "pilar_by_organization: (per agency)",
    )
    cfg_pilar_same_organization = Message(
        "organisasi yang sama dengan {other!r} (huruf besar/kecil dan spasi diabaikan)",
        "the same organization as {other!r} (case and blanks are ignored)",
    )
    note_pilar_from_config = Message(
        "Pilar '{value}' diisi dari konfigurasi sumber ({key})",
        "Pillar '{value}' filled in from the source configuration ({key})",
    )

    # -- words (issue 14): add this workstream's entries directly below this line --
    help_site_plan = Message(
        "Berkas Daftar Data (CSV, TSV atau XLSX) yang realisasinya ditampilkan di situs; "
        "boleh diulang. Tanpa opsi ini: berkas yang disebut kunci plan: konfigurasi sumber.",
        "A Daftar Data file (CSV, TSV or XLSX) whose realisasi the site shows; may be "
        "repeated. Without it: the files named by the plan: key of the source configs.",
    )
    err_site_plan = Message(
        "Daftar Data {path} (kunci plan: di {file}) tidak dapat dibaca: {reason}",
        "The Daftar Data {path} (plan: key in {file}) cannot be read: {reason}",
    )
    err_plan_missing_file = Message(
        "berkas tidak ada atau bukan berkas biasa", "no such file, or not a regular file"
    )

    # -- dcat-read (issue 15): add this workstream's entries directly below this line --

    # -- dcat-write (issue 15): add this workstream's entries directly below this line --
    # (end of fidelity (issue 12))

    # -- scheming (issue 12): add this workstream's entries directly below this line --
    help_schema_export_format = Message(
        "Bentuk skema: json-schema (JSON Schema 2020-12 profil) atau ckan-scheming "
        "(skema dataset ckanext-scheming untuk portal CKAN, label Indonesia dan Inggris).",
        "Kind of schema: json-schema (the profile as JSON Schema 2020-12) or ckan-scheming "
        "(a ckanext-scheming dataset schema for a CKAN portal, Indonesian and English labels).",
    )
    help_schema_export_yaml = Message(
        "ckan-scheming: tulis YAML (bawaan) atau JSON.",
        "ckan-scheming: write YAML (the default) or JSON.",
    )
    err_schema_yaml_format = Message(
        "--yaml hanya berlaku untuk --format ckan-scheming",
        "--yaml applies only to --format ckan-scheming",
    )
    err_schema_config_format = Message(
        "--config dan --format ckan-scheming tidak dapat dipakai bersama",
        "--config and --format ckan-scheming do not go together",
    )
    # (end of scheming (issue 12))


#: Column key -> its heading in a text table (json and csv keep the key).
COLUMNS: Final[dict[str, Message]] = {
    "id": Message("id", "id"),
    "source": Message("sumber", "source"),
    "source_id": Message("sumber", "source_id"),
    "name": Message("nama", "name"),
    "title": Message("judul", "title"),
    "organization": Message("organisasi", "organization"),
    "status": Message("status", "status"),
    "valid": Message("sah", "valid"),
    "invalid": Message("tidak sah", "invalid"),
    "errors": Message("galat", "errors"),
    "warnings": Message("peringatan", "warnings"),
    "last_changed": Message("terakhir berubah", "last_changed"),
    "full": Message("lengkap", "full"),
    "started_at": Message("mulai", "started_at"),
    "seconds": Message("detik", "seconds"),
    "added": Message("ditambah", "added"),
    "updated": Message("diperbarui", "updated"),
    "unchanged": Message("tetap", "unchanged"),
    "withdrawn": Message("ditarik", "withdrawn"),
    "restored": Message("dipulihkan", "restored"),
    "errored": Message("galat", "errored"),
    "type": Message("tipe", "type"),
    "location": Message("lokasi", "location"),
    "schedule": Message("jadwal", "schedule"),
    "last_job": Message("tugas terakhir", "last_job"),
    "last_status": Message("status terakhir", "last_status"),
    "last_success": Message("berhasil terakhir", "last_success"),
    "next_due": Message("jatuh tempo", "next_due"),
    "schedule_retry": Message("jeda coba ulang", "schedule_retry"),
    "failures": Message("kegagalan", "failures"),
    "due": Message("tiba", "due"),
    "remote_id": Message("id jarak jauh", "remote_id"),
    "findings": Message("temuan", "findings"),
    "field": Message("kolom", "field"),
    "value": Message("nilai", "value"),
    "severity": Message("tingkat", "severity"),
    "rule": Message("aturan", "rule"),
    "path": Message("jalur", "path"),
    "message": Message("pesan", "message"),
    "message_en": Message("pesan", "message_en"),
    "message_id": Message("pesan", "message_id"),
    "at": Message("waktu", "at"),
    "job_id": Message("tugas", "job_id"),
    "kind": Message("jenis", "kind"),
    "active": Message("aktif", "active"),
    "organizations": Message("organisasi", "organizations"),
    "portal_name": Message("nama di portal", "portal_name"),
    "action": Message("tindakan", "action"),
    "error": Message("pesan galat", "error"),
    "finished_at": Message("selesai", "finished_at"),
    "counters": Message("penghitung", "counters"),
    "notes": Message("catatan", "notes"),
    "pid": Message("pid", "pid"),
    "hostname": Message("nama host", "hostname"),
    "content_hash": Message("hash isi", "content_hash"),
    "remote_modified": Message("diubah di sumber", "remote_modified"),
    "first_seen": Message("pertama terlihat", "first_seen"),
    "last_seen": Message("terakhir terlihat", "last_seen"),
    "withdrawn_at": Message("ditarik pada", "withdrawn_at"),
    "incremental": Message("inkremental", "incremental"),
    "complete": Message("lengkap", "complete"),
    "invalid_count": Message("tidak sah", "invalid_count"),
    "target": Message("tujuan", "target"),
    "created": Message("dibuat", "created"),
    "failed": Message("gagal", "failed"),
    "skipped_invalid": Message("dilewati (tidak sah)", "skipped_invalid"),
    "write_calls": Message("panggilan tulis", "write_calls"),
    # -- links-check (issue 13): add this workstream's entries directly below this line --
    "url": Message("URL", "url"),
    "verdict": Message("hasil", "verdict"),
    "http_status": Message("HTTP", "http_status"),
    "reason": Message("alasan", "reason"),
    "links": Message("tautan", "links"),
    "count": Message("jumlah", "count"),
    # (end of links-check (issue 13))
    # -- links-report (issue 13): add this workstream's entries directly below this line --
    # (end of links-report (issue 13))
    # -- history (issue 14): add this workstream's entries directly below this line --
    # (end of history (issue 14))
    # -- site (issue 14): add this workstream's entries directly below this line --
    # (end of site (issue 14))
    # -- plan (issue 14): add this workstream's entries directly below this line --
    # (end of plan (issue 14))
    # -- perf (issue 15): add this workstream's entries directly below this line --
    # (end of perf (issue 15))
    # -- fidelity (issue 12): add this workstream's entries directly below this line --
    # -- pilar (issue 14): add this workstream's entries directly below this line --
    # (end of that workstream's entries)
    # -- words (issue 14): add this workstream's entries directly below this line --
    # (end of that workstream's entries)
    # -- dcat-read (issue 15): add this workstream's entries directly below this line --
    # (end of that workstream's entries)
    # -- dcat-write (issue 15): add this workstream's entries directly below this line --
    # (end of fidelity (issue 12))
}

#: Values shown in text tables (statuses, actions), said in the language of the run.
VALUES: Final[dict[str, Message]] = {
    "finished": Message("selesai", "finished"),
    "failed": Message("gagal", "failed"),
    "interrupted": Message("dihentikan", "interrupted"),
    "running": Message("berjalan", "running"),
    "active": Message("aktif", "active"),
    "withdrawn": Message("ditarik", "withdrawn"),
    "create": Message("buat", "create"),
    "update": Message("perbarui", "update"),
    "unchanged": Message("tetap", "unchanged"),
    "withdraw": Message("tarik", "withdraw"),
    "created": Message("dibuat", "created"),
    "updated": Message("diperbarui", "updated"),
    "added": Message("ditambah", "added"),
    "restored": Message("dipulihkan", "restored"),
    "errored": Message("galat", "errored"),
    "skipped": Message("dilewati", "skipped"),
    "error": Message("galat", "error"),
    "warning": Message("peringatan", "warning"),
    "info": Message("info", "info"),
    "now": Message("sekarang", "now"),
    "required": Message("wajib", "required"),
    "recommended": Message("dianjurkan", "recommended"),
    "optional": Message("opsional", "optional"),
    # -- links-check (issue 13): add this workstream's entries directly below this line --
    "ok": Message("ok", "ok"),
    "broken": Message("rusak", "broken"),
    "unverifiable": Message("tak terverifikasi", "unverifiable"),
    "redirected-permanently": Message("dialihkan permanen", "redirected permanently"),
    "invalid": Message("bukan URL", "invalid"),
    "to-check": Message("akan diperiksa", "to check"),
    "no-network": Message("tanpa jaringan", "no network"),
    "dry-run": Message("uji coba", "dry run"),
    # (end of links-check (issue 13))
    # -- links-report (issue 13): add this workstream's entries directly below this line --
    # (end of links-report (issue 13))
    # -- history (issue 14): add this workstream's entries directly below this line --
    # (end of history (issue 14))
    # -- site (issue 14): add this workstream's entries directly below this line --
    # (end of site (issue 14))
    # -- plan (issue 14): add this workstream's entries directly below this line --
    # (end of plan (issue 14))
    # -- perf (issue 15): add this workstream's entries directly below this line --
    # (end of perf (issue 15))
    # -- fidelity (issue 12): add this workstream's entries directly below this line --
    # -- pilar (issue 14): add this workstream's entries directly below this line --
    # (end of that workstream's entries)
    # -- words (issue 14): add this workstream's entries directly below this line --
    # (end of that workstream's entries)
    # -- dcat-read (issue 15): add this workstream's entries directly below this line --
    # (end of that workstream's entries)
    # -- dcat-write (issue 15): add this workstream's entries directly below this line --
    # (end of fidelity (issue 12))
}


def all_messages() -> list[Message]:
    """Every message of the table (for the help index and the tests)."""
    found = [v for v in vars(M).values() if isinstance(v, Message)]
    return (
        found
        + list(COLUMNS.values())
        + list(VALUES.values())
        + list(REPORT_LABELS.values())
        + list(CATALOGUE_DOCS.values())
    )


#: The words of the reports (text, CSV headings, HTML), read by ``reports/labels.py``.
REPORT_LABELS: Final[dict[str, Message]] = {
    "compliance_title": Message(
        "Kepatuhan metadata terhadap standar Satu Data per perangkat daerah",
        "Metadata compliance with the Satu Data standard per agency",
    ),
    "freshness_title": Message(
        "Kemutakhiran data per perangkat daerah (jadwal pemutakhiran)",
        "Data freshness per agency (jadwal pemutakhiran)",
    ),
    "by_organization": Message("Perangkat daerah", "Agency"),
    "by_produsen_data": Message("Produsen data", "Produsen data"),
    "by_source": Message("Sumber", "Source"),
    "datasets": Message("Dataset", "Datasets"),
    "valid": Message("Tanpa galat", "No errors"),
    "compliant": Message("Patuh penuh", "Fully compliant"),
    "score": Message("Skor", "Score"),
    "change": Message("Perubahan", "Change"),
    "previous_score": Message("Skor sebelumnya", "Previous score"),
    "top_rules": Message("Aturan paling sering gagal", "Most frequent failing rules"),
    "completeness": Message(
        "Kelengkapan per kolom standar", "Completeness per field of the standard"
    ),
    "field": Message("Kolom", "Field"),
    "kind": Message("Jenis", "Kind"),
    "required": Message("wajib", "required"),
    "recommended": Message("anjuran", "recommended"),
    "overall": Message("Seluruh katalog", "Whole catalogue"),
    "lowest": Message("Terendah", "Lowest"),
    "dataset": Message("Dataset", "Dataset"),
    "source": Message("Sumber", "Source"),
    "missing": Message("Kolom kosong", "Missing fields"),
    "rules": Message("Aturan yang gagal", "Failing rules"),
    "lowest_datasets": Message("Dataset dengan skor terendah", "Datasets with the lowest score"),
    "all_datasets": Message("Semua dataset", "All datasets"),
    "new": Message("baru", "new"),
    "none": Message("(tidak diisi)", "(not given)"),
    "on_time": Message("Tepat waktu", "On time"),
    "overdue": Message("Terlambat", "Overdue"),
    "unknown_frequency": Message("Jadwal tidak diketahui", "Unknown frequency"),
    "worst": Message("Paling terlambat", "Worst cases"),
    "jadwal": Message("Jadwal", "Schedule"),
    "last_update": Message("Pembaruan terakhir", "Last update"),
    "last_update_from": Message("Menurut", "From"),
    "next_due": Message("Jatuh tempo", "Due"),
    "days_overdue": Message("Hari", "Days"),
    "status": Message("Status", "Status"),
    "overdue_datasets": Message("Dataset yang terlambat diperbarui", "Datasets overdue for update"),
    "more": Message(
        "... dan {n} lagi (--detail menampilkan semuanya)",
        "... and {n} more (--detail shows them all)",
    ),
    "scope": Message(
        "Hanya dataset aktif (dataset yang ditarik tidak dihitung).",
        "Active datasets only (withdrawn datasets are not counted).",
    ),
    "formula": Message("Rumus skor", "Score formula"),
    "previous_none": Message(
        "Perubahan: belum ada panen sebelumnya untuk dibandingkan.",
        "Change: there is no previous harvest to compare with yet.",
    ),
    "previous_some": Message(
        "Perubahan dibanding panen sebelumnya: {jobs}.",
        "Change since the previous harvest: {jobs}.",
    ),
    "generated": Message("Dibuat", "Made"),
    "catalogue": Message("Katalog", "Catalogue"),
    "sources": Message("Sumber", "Sources"),
    "as_of": Message("Per tanggal", "As of"),
    "grace": Message("Toleransi", "Grace"),
    "freshness_summary": Message("Ringkasan kemutakhiran", "Freshness summary"),
    "chart_scores": Message("Skor kepatuhan per perangkat daerah", "Compliance score per agency"),
    "chart_freshness": Message(
        "Tepat waktu / terlambat / jadwal tidak diketahui",
        "On time / overdue / unknown frequency",
    ),
    "from_tanggal_diperbarui": Message("tanggal_diperbarui", "tanggal_diperbarui"),
    "from_remote_modified": Message("diubah di sumber", "modified at the source"),
    "from_first_seen": Message("pertama terlihat", "first seen"),
    "below_min": Message(
        "{n} perangkat daerah di bawah skor minimum {min}: {names}",
        "{n} agencies below the minimum score {min}: {names}",
    ),
    "sort_hint": Message("Klik judul kolom untuk mengurutkan.", "Click a column heading to sort."),
    # -- links-check (issue 13): add this workstream's entries directly below this line --
    # (end of links-check (issue 13))
    # -- links-report (issue 13): add this workstream's entries directly below this line --
    "links_title": Message("Tautan rusak per perangkat daerah", "Broken links per agency"),
    "links": Message("Tautan", "Links"),
    "links_checked": Message("Diperiksa", "Checked"),
    "link_broken": Message("Rusak", "Broken"),
    "link_pending": Message("Gagal sekali", "Failed once"),
    "link_unverifiable": Message("Tidak dapat dipastikan", "Unverifiable"),
    "link_redirected": Message("Dialihkan", "Redirected"),
    "link_ok": Message("Baik", "OK"),
    "link_skipped": Message("Dilewati", "Skipped"),
    "link_invalid": Message("Bukan URL", "Not a URL"),
    "link_not_checked": Message("Belum diperiksa", "Not checked"),
    "link_mismatch": Message("HTML, bukan data", "HTML, not data"),
    "broken_share": Message("Bagian rusak", "Share broken"),
    "oldest_broken": Message("Rusak paling lama", "Oldest broken link"),
    "days_broken": Message("Hari rusak", "Days broken"),
    "link_url": Message("URL", "URL"),
    "link_place": Message("Tempat", "Place"),
    "http_status": Message("HTTP", "HTTP"),
    "link_reason": Message("Alasan", "Reason"),
    "broken_links": Message("Tautan rusak (tertua dahulu)", "Broken links (oldest first)"),
    "all_links": Message("Semua tautan", "All links"),
    "two_checks": Message(
        "Tautan dihitung rusak bila gagal pada dua pemeriksaan berjarak sedikitnya {hours} "
        "jam; tautan yang tidak dapat dipastikan (401/403, tantangan WAF, 429, waktu habis) "
        "tidak pernah dihitung rusak. Bagian rusak = rusak / diperiksa.",
        "A link counts as broken after failing in two checks at least {hours} hours apart; "
        "unverifiable links (401/403, WAF challenge, 429, timeouts) are never counted as "
        "broken. Share broken = broken / checked.",
    ),
    "last_link_run": Message(
        "Pemeriksaan tautan terakhir: {at} ({status}).", "Last link check: {at} ({status})."
    ),
    "no_link_run": Message(
        "Belum ada pemeriksaan tautan: jalankan 'satudata links check'.",
        "No link check yet: run 'satudata links check'.",
    ),
    "chart_broken": Message(
        "Bagian tautan rusak per perangkat daerah", "Share of broken links per agency"
    ),
    "run_finished": Message("selesai", "finished"),
    "run_interrupted": Message("terputus", "interrupted"),
    "run_running": Message("berjalan", "running"),
    "run_failed": Message("gagal", "failed"),
    "run_no-network": Message("tanpa jaringan", "no network"),
    "links_section": Message("Tautan data (pemeriksaan tautan)", "Data links (link checks)"),
    "links_see": Message(
        "Daftar lengkap: laporan tautan ({command}).",
        "The full list: the links report ({command}).",
    ),
    # (end of links-report (issue 13))
    # -- history (issue 14): add this workstream's entries directly below this line --
    "trend_title": Message(
        "Kinerja perangkat daerah dari waktu ke waktu", "Agency performance over time"
    ),
    "changes_title": Message(
        "Perubahan dataset per perangkat daerah", "Dataset changes per agency"
    ),
    "rank": Message("Peringkat", "Rank"),
    "period": Message("Periode", "Period"),
    "trend_score": Message("Skor (tren)", "Score (trend)"),
    "trend_overdue": Message("Terlambat (tren)", "Overdue (trend)"),
    "change_overdue": Message("Perubahan terlambat", "Change in overdue"),
    "every_day": Message("per hari", "per day"),
    "every_week": Message("per minggu (mulai Senin)", "per week (from Monday)"),
    "every_month": Message("per bulan", "per month"),
    "trend_window": Message(
        "Dari {since} sampai {until}, {every}; nilai tiap periode adalah keadaan katalog "
        "pada akhir periode.",
        "From {since} to {until}, {every}; each period shows the catalogue as it stood at "
        "the end of the period.",
    ),
    "trend_spark_note": Message(
        "Garis tren: dari nilai terendah sampai tertinggi perangkat daerah itu sendiri; "
        "kosong = belum/tidak lagi ada dataset.",
        "Trend lines: from the agency's own lowest to highest value; blank = no dataset "
        "(yet, or any more).",
    ),
    "absent": Message("tidak ada lagi sejak {period}", "none since {period}"),
    "overview": Message("Ikhtisar semua perangkat daerah", "Overview of every agency"),
    "chart_trend": Message(
        "Skor (garis) dan dataset terlambat (batang) per periode",
        "Score (line) and overdue datasets (bars) per period",
    ),
    "added": Message("Ditambah", "Added"),
    "updated": Message("Diperbarui", "Updated"),
    "withdrawn": Message("Ditarik", "Withdrawn"),
    "restored": Message("Dipulihkan", "Restored"),
    "findings_new": Message("Temuan baru", "New findings"),
    "findings_fixed": Message("Temuan diperbaiki", "Findings fixed"),
    "fields_changed": Message("Kolom yang berubah", "Fields changed"),
    "when": Message("Waktu", "When"),
    "times": Message("Kali", "Times"),
    "changes_window": Message(
        "Perubahan dari {since} sampai {until} (UTC).", "Changes from {since} to {until} (UTC)."
    ),
    "changes_since_job": Message(
        "Perubahan sesudah tugas panen {job} sampai {until} (UTC).",
        "Changes after harvest job {job} up to {until} (UTC).",
    ),
    "no_changes": Message(
        "Tidak ada dataset yang ditambah, diperbarui, ditarik atau dipulihkan.",
        "No dataset was added, updated, withdrawn or restored.",
    ),
    # (end of history (issue 14))
    # -- site (issue 14): add this workstream's entries directly below this line --
    "summary": Message("Ringkasan", "Summary"),
    "narr_agency": Message("{name}: {parts}.", "{name}: {parts}."),
    "narr_overall": Message(
        "Seluruh katalog: {datasets} dari {agencies}; {parts}.",
        "Whole catalogue: {datasets} from {agencies}; {parts}.",
    ),
    "narr_agencies_one": Message("{n} perangkat daerah", "{n} agency"),
    "narr_agencies_many": Message("{n} perangkat daerah", "{n} agencies"),
    "narr_score": Message("skor {score}", "score {score}"),
    "narr_up": Message("naik {delta} {since}", "up {delta} {since}"),
    "narr_down": Message("turun {delta} {since}", "down {delta} {since}"),
    "narr_same": Message("tetap {since}", "unchanged {since}"),
    "narr_new": Message("baru", "new"),
    "narr_since_previous_harvest": Message("sejak panen sebelumnya", "since the previous harvest"),
    "narr_since_last_month": Message("sejak bulan lalu", "since last month"),
    "narr_since_window_start": Message(
        "sejak awal rentang laporan", "since the start of the report's window"
    ),
    "narr_absent": Message("tidak ada dataset lagi", "no datasets any more"),
    "narr_changed": Message(
        "{added} ditambah, {updated} diperbarui, {withdrawn} ditarik, {restored} dipulihkan",
        "{added} added, {updated} updated, {withdrawn} withdrawn, {restored} restored",
    ),
    "narr_findings": Message(
        "{fixed} temuan diperbaiki, {new} temuan baru", "{fixed} findings fixed, {new} new"
    ),
    "narr_datasets_one": Message("{n} dataset", "{n} dataset"),
    "narr_datasets_many": Message("{n} dataset", "{n} datasets"),
    "narr_overdue_none": Message(
        "tidak ada dataset yang terlambat diperbarui", "no dataset overdue for update"
    ),
    "narr_overdue_one": Message(
        "{n} dataset terlambat diperbarui", "{n} dataset overdue for update"
    ),
    "narr_overdue_many": Message(
        "{n} dataset terlambat diperbarui", "{n} datasets overdue for update"
    ),
    "narr_links_none": Message("tidak ada tautan rusak", "no broken links"),
    "narr_links_one": Message("{n} tautan rusak", "{n} broken link"),
    "narr_links_many": Message("{n} tautan rusak", "{n} broken links"),
    "narr_more": Message("... dan {n} perangkat daerah lain.", "... and {n} more agencies."),
    "site_home": Message("Halaman depan", "Home"),
    "site_agency_title": Message(
        "{name}: kepatuhan dan kemutakhiran", "{name}: compliance and freshness"
    ),
    "site_agency_page": Message("Halaman {name}", "Page of {name}"),
    "site_findings": Message("Temuan", "Findings"),
    "site_links": Message("Pemeriksaan tautan", "Link checks"),
    "site_links_checked": Message("Tautan diperiksa", "Links checked"),
    "site_links_broken": Message("Tautan rusak", "Broken links"),
    "site_no_trend": Message(
        "Belum ada riwayat untuk perangkat daerah ini.", "No history for this agency yet."
    ),
    "site_links_note": Message(
        "{checked} tautan diperiksa pada pemeriksaan terakhir, {broken} rusak.",
        "{checked} links checked by the last check, {broken} broken.",
    ),
    "site_trend": Message("Perkembangan skor", "Score over time"),
    "site_changes": Message("Perubahan terbaru", "Latest changes"),
    # (end of site (issue 14))
    # -- plan (issue 14): add this workstream's entries directly below this line --
    "realisasi_title": Message(
        "Realisasi Daftar Data per perangkat daerah", "Realisasi of the Daftar Data per agency"
    ),
    "plan_planned": Message("Direncanakan", "Planned"),
    "plan_published": Message("Terbit", "Published"),
    "plan_compliant": Message("Terbit dan patuh", "Published and compliant"),
    "plan_to_confirm": Message("Perlu dikonfirmasi", "To confirm"),
    "plan_missing": Message("Belum ada", "Missing"),
    "plan_share": Message("Realisasi", "Realisasi"),
    "plan_entry": Message("Rencana", "Planned entry"),
    "plan_line": Message("Baris", "Row"),
    "plan_status": Message("Status", "Status"),
    "plan_method": Message("Dicocokkan dengan", "Matched by"),
    "plan_match": Message("Dataset di katalog", "Dataset in the katalog"),
    "plan_candidates": Message("Kandidat (skor)", "Candidates (score)"),
    "plan_reason": Message("Keterangan", "Note"),
    "plan_entries": Message("Setiap rencana", "Every planned entry"),
    "plan_skipped": Message("Baris yang dilewati", "Rows skipped"),
    "plan_file": Message("Daftar Data", "Daftar Data"),
    "plan_year": Message("Tahun", "Year"),
    "plan_thresholds": Message(
        "Cocok bila skor judul >= {match} tanpa pesaing dalam {margin} poin; perlu dikonfirmasi "
        "bila >= {possible}.",
        "Matched when the title score is >= {match} with no rival within {margin} points; to "
        "confirm when >= {possible}.",
    ),
    "method_id": Message("id", "id"),
    "method_title": Message("judul", "title"),
    # (end of plan (issue 14))
    # -- perf (issue 15): add this workstream's entries directly below this line --
    # (end of perf (issue 15))
    # -- fidelity (issue 12): add this workstream's entries directly below this line --
    # -- pilar (issue 14): add this workstream's entries directly below this line --
    "by_pilar": Message("Pilar Satu Data", "Satu Data pillar"),
    "none_pilar": Message("(tanpa pilar)", "(no pillar)"),
    "narr_pilar_groups_one": Message("{n} kelompok pilar", "{n} pillar group"),
    "narr_pilar_groups_many": Message("{n} kelompok pilar", "{n} pillar groups"),
    # (end of that workstream's entries)
    # -- words (issue 14): add this workstream's entries directly below this line --
    "narr_checked_none": Message("tidak ada tautan yang diperiksa", "no links checked"),
    "narr_checked_one": Message("{n} tautan diperiksa", "{n} link checked"),
    "narr_checked_many": Message("{n} tautan diperiksa", "{n} links checked"),
    "narr_unverifiable": Message("{n} tidak dapat diverifikasi", "{n} unverifiable"),
    "narr_oldest_one": Message(
        "tautan rusak terlama sudah {n} hari", "the oldest broken for {n} day"
    ),
    "narr_oldest_many": Message(
        "tautan rusak terlama sudah {n} hari", "the oldest broken for {n} days"
    ),
    "narr_plan_one": Message(
        "{published} dari {planned} data yang direncanakan sudah terbit, {compliant} memenuhi "
        "standar",
        "{published} of {planned} planned dataset published, {compliant} meeting the standard",
    ),
    "narr_plan_many": Message(
        "{published} dari {planned} data yang direncanakan sudah terbit, {compliant} memenuhi "
        "standar",
        "{published} of {planned} planned datasets published, {compliant} meeting the standard",
    ),
    "narr_plan_to_confirm": Message("{n} perlu dikonfirmasi", "{n} to confirm"),
    "narr_plan_missing": Message("{n} belum terbit", "{n} not published yet"),
    "narr_overall_plan": Message(
        "Seluruh Daftar Data, {agencies}: {parts}.", "Whole Daftar Data, {agencies}: {parts}."
    ),
    "site_realisasi": Message("Realisasi Daftar Data", "Realisasi of the Daftar Data"),
    "site_realisasi_note": Message(
        "Rencana dari {plans}. Perangkat daerah tanpa halaman: tidak ada datasetnya di katalog.",
        "Planned in {plans}. Agencies without a page have no dataset in the katalog.",
    ),
    "site_no_plan": Message(
        "Daftar Data tidak memuat rencana perangkat daerah ini.",
        "The Daftar Data plans nothing for this agency.",
    ),
    "match_exact": Message("tepat", "exact"),
    "match_fuzzy": Message("mirip", "fuzzy"),
    "match_to_confirm": Message("perlu dikonfirmasi", "to confirm"),
    "match_missing": Message("belum ada", "missing"),
    # (end of that workstream's entries)
    # -- dcat-read (issue 15): add this workstream's entries directly below this line --
    # (end of that workstream's entries)
    # -- dcat-write (issue 15): add this workstream's entries directly below this line --
    # (end of fidelity (issue 12))
}


#: What the katalog's tables and columns hold, for Datasette's metadata
#: (``reports/datasette.py``): ``table``, ``table.column`` and the canned queries' column
#: names ``q.*``. Columns of ``datasets`` copied from the record take their words from the
#: standard's schema unless they are here.
CATALOGUE_DOCS: Final[dict[str, Message]] = {
    "sources": Message(
        "Satu baris per sumber yang dikonfigurasi di harvest_configs/.",
        "One row per sumber configured in harvest_configs/.",
    ),
    "datasets": Message(
        "Satu baris per sumber dan dataset: rekaman kanonis, status dan hasil validasi.",
        "One row per sumber and dataset: the canonical record, its status and its verdict.",
    ),
    "resources": Message(
        "Sumber daya (berkas, tautan) setiap dataset.", "Each dataset's resources."
    ),
    "organizations": Message(
        "Per sumber dan perangkat daerah: dataset aktif, ditarik, valid dan tidak valid.",
        "Per sumber and agency: active, withdrawn, valid and invalid datasets.",
    ),
    "harvest_jobs": Message(
        "Satu baris per panen per sumber, dengan hitungannya.",
        "One row per harvest run per sumber, with its counts.",
    ),
    "harvest_events": Message(
        "Per panen dan dataset: ditambahkan, diperbarui, ditarik, dipulihkan atau galat.",
        "Per harvest and dataset: added, updated, withdrawn, restored or errored.",
    ),
    "validation_findings": Message(
        "Temuan validasi terkini setiap dataset.",
        "The current validation findings of each dataset.",
    ),
    "compliance_snapshots": Message(
        "Per panen dan perangkat daerah: jumlah dataset, yang valid, yang patuh penuh dan skor.",
        "Per harvest and agency: datasets, valid ones, fully compliant ones and the score.",
    ),
    "freshness_snapshots": Message(
        "Per panen dan perangkat daerah: dataset tepat waktu, terlambat dan tanpa jadwal.",
        "Per harvest and agency: datasets on time, overdue and of unknown frequency.",
    ),
    "compliance_snapshots.taken_at": Message(
        "Waktu panen itu selesai (UTC); riwayat disimpan menurut docs/monitoring.md.",
        "When that harvest ended (UTC); the history is kept as docs/monitoring.md says.",
    ),
    "freshness_snapshots.taken_at": Message(
        "Waktu panen itu selesai (UTC).", "When that harvest ended (UTC)."
    ),
    # pilar (issue 14): the snapshots per Medan Satu Data pillar (schema version 8)
    "compliance_snapshots.pilar": Message(
        "Pilar Medan Satu Data kelompok ini (kosong: tanpa pilar).",
        "The Medan Satu Data pillar of this group (empty: no pillar).",
    ),
    "compliance_snapshots.pilar_known": Message(
        "1: ditulis bersama pilarnya; 0: ditulis sebelum versi 8, pilarnya diambil dari "
        "dataset sekarang (docs/monitoring.md).",
        "1: written with its pillar; 0: written before version 8, its pillar is taken "
        "from the current datasets (docs/monitoring.md).",
    ),
    "freshness_snapshots.pilar": Message(
        "Pilar Medan Satu Data kelompok ini (kosong: tanpa pilar).",
        "The Medan Satu Data pillar of this group (empty: no pillar).",
    ),
    "freshness_snapshots.pilar_known": Message(
        "1: ditulis bersama pilarnya; 0: ditulis sebelum versi 8.",
        "1: written with its pillar; 0: written before version 8.",
    ),
    "harvest_events.fields": Message(
        "Kolom tingkat atas yang berubah (JSON), untuk updated dan restored.",
        "The top-level fields that changed (JSON), for updated and restored.",
    ),
    "harvest_events.findings_new": Message(
        "Galat dan peringatan yang muncul karena perubahan ini.",
        "Errors and warnings this change brought.",
    ),
    "harvest_events.findings_fixed": Message(
        "Galat dan peringatan yang hilang karena perubahan ini.",
        "Errors and warnings this change removed.",
    ),
    "publish_state": Message(
        "Per target publikasi dan dataset: apa yang ada di portal CKAN.",
        "Per publish target and dataset: what is on the CKAN portal.",
    ),
    # links-check (issue 13): the tables of satudata links check (docs/links.md)
    "link_runs": Message(
        "Satu baris per pemeriksaan tautan (satudata links check), dengan hitungan per hasil.",
        "One row per link check run (satudata links check), with counts per verdict.",
    ),
    "link_checks": Message(
        "Riwayat: per pemeriksaan, URL dan dataset yang memberinya: hasil, status HTTP, "
        "URL akhir, jenis isi dan alasan.",
        "The history: per run, URL and dataset giving it: verdict, HTTP status, final URL, "
        "content type and reason.",
    ),
    "link_state": Message(
        "Keadaan terkini per URL: hasil terakhir, sejak kapan gagal, berapa kali gagal.",
        "The current state per URL: the last verdict, failing since when, how many failures.",
    ),
    "datasets.id": Message("Nomor dataset di katalog.", "The dataset's number in the katalog."),
    "datasets.source_id": Message("Sumber asal dataset.", "The sumber the dataset comes from."),
    "datasets.remote_id": Message("Id dataset di sumbernya.", "The dataset's id at its sumber."),
    "datasets.status": Message(
        "active, atau withdrawn (tidak lagi ada di sumber).",
        "active, or withdrawn (no longer at the sumber).",
    ),
    "datasets.valid": Message(
        "1 bila tanpa galat terhadap standar, 0 bila ada galat.",
        "1 when it has no error against the standard, 0 otherwise.",
    ),
    "datasets.errors": Message("Jumlah galat.", "Number of errors."),
    "datasets.warnings": Message("Jumlah peringatan.", "Number of warnings."),
    "datasets.infos": Message("Jumlah catatan informasi.", "Number of informational notes."),
    "datasets.first_seen": Message("Pertama dipanen (UTC).", "First harvested (UTC)."),
    "datasets.last_seen": Message(
        "Terakhir terlihat di sumber (UTC).", "Last seen at the sumber (UTC)."
    ),
    "datasets.last_changed": Message("Terakhir berubah (UTC).", "Last changed (UTC)."),
    "datasets.missing_since": Message(
        "Tidak terlihat di sumber sejak (UTC).", "Not seen at the sumber since (UTC)."
    ),
    "datasets.withdrawn_at": Message("Ditarik pada (UTC).", "Withdrawn at (UTC)."),
    "datasets.remote_modified": Message(
        "Waktu perubahan menurut sumber.", "Modification time according to the sumber."
    ),
    "datasets.content_hash": Message(
        "Sidik rekaman (untuk mengenali perubahan).", "Fingerprint of the record (to see changes)."
    ),
    "datasets.input_hash": Message(
        "Sidik masukan dari sumber (masukan sama: tidak divalidasi ulang).",
        "Fingerprint of the input from the sumber (same input: not validated again).",
    ),
    "datasets.findings_hash": Message(
        "Sidik temuan validasi.", "Fingerprint of the validation findings."
    ),
    "datasets.record": Message(
        "Rekaman kanonis lengkap (JSON).", "The whole canonical record (JSON)."
    ),
    "validation_findings.rule": Message("Id aturan.", "Rule id."),
    "validation_findings.severity": Message("error, warning atau info.", "error, warning or info."),
    "validation_findings.path": Message(
        "Letak nilai dalam rekaman (JSONPath).", "Where the value is in the record (JSONPath)."
    ),
    "validation_findings.message_id": Message("Pesan (Bahasa Indonesia).", "Message (Indonesian)."),
    "validation_findings.message_en": Message("Pesan (Bahasa Inggris).", "Message (English)."),
    "harvest_jobs.status": Message(
        "running, finished, failed atau interrupted.", "running, finished, failed or interrupted."
    ),
    "harvest_jobs.full": Message(
        "1 untuk panen penuh, 0 untuk panen inkremental.", "1 for a full pass, 0 for incremental."
    ),
    "harvest_events.kind": Message(
        "added, updated, withdrawn, restored atau errored.",
        "added, updated, withdrawn, restored or errored.",
    ),
    "q.agency": Message("perangkat daerah", "agency"),
    "q.datasets": Message("dataset aktif", "active datasets"),
    "q.overdue": Message("terlambat", "overdue"),
    "q.worst": Message("terlambat terlama (hari)", "longest overdue (days)"),
    "q.days": Message("hari terlambat", "days overdue"),
    "q.findings": Message("temuan galat", "error findings"),
    "q.when": Message("waktu", "when"),
    "q.what": Message("perubahan", "change"),
    "q.none": Message("(tanpa perangkat daerah)", "(no agency)"),
}
