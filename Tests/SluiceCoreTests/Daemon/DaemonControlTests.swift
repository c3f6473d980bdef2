import Foundation
import SluiceCore
import Testing

@Suite struct DaemonControlTests {
    func workspace() throws -> Workspace {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("daemon-control-\(UUID().uuidString)").path
        let ws = Workspace(root: root)
        try FileManager.default.createDirectory(atPath: ws.internalDirectory, withIntermediateDirectories: true)
        return ws
    }

    @Test func aDaemonIsFoundOnlyWhileItsPIDFileIsThereAndTheWorkspaceLockIsHeld() throws {
        let ws = try workspace()
        defer { try? FileManager.default.removeItem(atPath: ws.root) }
        let control = DaemonControl(workspace: ws)
        #expect(control.runningDaemon() == nil)
        try control.writePID()
        #expect(try String(contentsOfFile: control.pidPath, encoding: .utf8) == "\(getpid())\n")
        // A pid file left by a daemon that died: nobody holds the lock.
        #expect(control.runningDaemon() == nil)
        let lock = try WorkspaceLock(path: ws.lockPath, wait: false)
        #expect(control.runningDaemon() == getpid())
        control.removePID()
        #expect(!FileManager.default.fileExists(atPath: control.pidPath))
        #expect(control.runningDaemon() == nil)
        withExtendedLifetime(lock) {}
    }

    @Test func aPIDFileThatIsNotANumberFindsNoDaemon() throws {
        let ws = try workspace()
        defer { try? FileManager.default.removeItem(atPath: ws.root) }
        let control = DaemonControl(workspace: ws)
        try "not a pid\n".write(toFile: control.pidPath, atomically: true, encoding: .utf8)
        let lock = try WorkspaceLock(path: ws.lockPath, wait: false)
        #expect(control.runningDaemon() == nil)
        withExtendedLifetime(lock) {}
    }
}
