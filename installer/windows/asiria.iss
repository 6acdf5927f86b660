; Inno Setup script: the Windows installer of the AsiriaPOS till (AsiriaPOS-Setup-<version>.exe).
; Build on Windows, from the repository root, after the bundle (docs/install.md, "Building the
; Windows installer"):
;   py -3.11 -m venv build\package-venv
;   build\package-venv\Scripts\pip install -c constraints.txt ".[till,package]"
;   build\package-venv\Scripts\python installer\make_icon.py dist\icon
;   build\package-venv\Scripts\pyinstaller --noconfirm --distpath dist --workpath build\pyinstaller installer\asiria.spec
;   "C:\Program Files (x86)\Inno Setup 6\ISCC.exe" /DAppVersion=0.1.0 installer\windows\asiria.iss
; The till keeps its database, backups and settings in %LOCALAPPDATA%\asiria: the installer
; never writes there and the uninstaller never deletes it (a reinstall finds the shop's sales).

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif

[Setup]
AppId={{6C1F3B52-8E0A-4C7B-9A51-2D8F4B7E1A90}
AppName=AsiriaPOS
AppVersion={#AppVersion}
AppPublisher=AsiriaPOS
DefaultDirName={autopf}\AsiriaPOS
DefaultGroupName=AsiriaPOS
DisableProgramGroupPage=yes
PrivilegesRequiredOverridesAllowed=dialog
OutputDir=..\..\dist
OutputBaseFilename=AsiriaPOS-Setup-{#AppVersion}
SetupIconFile=..\..\dist\icon\asiria.ico
UninstallDisplayIcon={app}\asiria.exe
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible

[Tasks]
Name: "desktopicon"; Description: "Create a desktop shortcut"; GroupDescription: "Shortcuts:"
Name: "startwithwindows"; Description: "Start AsiriaPOS when Windows starts"; GroupDescription: "Start-up:"; Flags: unchecked

[Files]
Source: "..\..\dist\asiria\asiria.exe"; DestDir: "{app}"; Flags: ignoreversion
Source: "..\..\dist\asiria\_internal\*"; DestDir: "{app}\_internal"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\AsiriaPOS"; Filename: "{app}\asiria.exe"
Name: "{group}\Uninstall AsiriaPOS"; Filename: "{uninstallexe}"
Name: "{autodesktop}\AsiriaPOS"; Filename: "{app}\asiria.exe"; Tasks: desktopicon
Name: "{userstartup}\AsiriaPOS"; Filename: "{app}\asiria.exe"; Tasks: startwithwindows

[Run]
Filename: "{app}\asiria.exe"; Description: "Start AsiriaPOS now"; Flags: nowait postinstall skipifsilent

; No [UninstallDelete] entry: uninstalling removes the program files only, never
; %LOCALAPPDATA%\asiria (the shop's database, backups and settings).
