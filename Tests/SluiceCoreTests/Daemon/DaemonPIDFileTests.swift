import Foundation
import SluiceCore
import Testing

@Suite struct DaemonPIDFileTests {
    func workspace() throws -> Workspace {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("daemon-control-\(UUID().uuidString)").path
        let ws = Workspace(root: root)
        try FileManager.default.createDirectory(atPath: ws.internalDirectory, withIntermediateDirectories: true)
        return ws
    }

    @Test func aDaemonIsFoundOnlyWhileItsPIDFileIsThereAndTheWorkspaceLockIsHeld() throws {
        let ws = try workspace()
        defer { try? FileManager.default.removeItem(atPath: ws.root) }
        let control = DaemonPIDFile(workspace: ws)
        #expect(control.runningDaemon() == nil)
        try control.write()
        #expect(try String(contentsOfFile: control.path, encoding: .utf8) == "\(getpid())\n")
        // A pid file left by a daemon that died: nobody holds the lock.
        #expect(control.runningDaemon() == nil)
        let lock = try WorkspaceLock(path: ws.lockPath, wait: false)
        #expect(control.runningDaemon() == getpid())
        control.remove()
        #expect(!FileManager.default.fileExists(atPath: control.path))
        #expect(control.runningDaemon() == nil)
        withExtendedLifetime(lock) {}
    }

    @Test func aPIDFileThatIsNotANumberFindsNoDaemon() throws {
        let ws = try workspace()
        defer { try? FileManager.default.removeItem(atPath: ws.root) }
        let control = DaemonPIDFile(workspace: ws)
        try "not a pid\n".write(toFile: control.path, atomically: true, encoding: .utf8)
        let lock = try WorkspaceLock(path: ws.lockPath, wait: false)
        #expect(control.runningDaemon() == nil)
        withExtendedLifetime(lock) {}
    }
}
