package main

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"strconv"
	"time"
)

// metricValue returns the value of the unlabelled sample name in Prometheus text exposition text.
func metricValue(text []byte, name string) (float64, bool) {
	sc := bufio.NewScanner(bytes.NewReader(text))
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	for sc.Scan() {
		line := sc.Bytes()
		if len(line) <= len(name) || line[0] == '#' || string(line[:len(name)]) != name || line[len(name)] != ' ' {
			continue
		}
		fields := bytes.Fields(line[len(name):])
		if len(fields) == 0 {
			return 0, false
		}
		v, err := strconv.ParseFloat(string(fields[0]), 64)
		if err != nil {
			return 0, false
		}
		return v, true
	}
	return 0, false
}

// vmRSS returns the resident set size in bytes from the text of /proc/PID/status.
func vmRSS(status []byte) (int64, bool) {
	sc := bufio.NewScanner(bytes.NewReader(status))
	for sc.Scan() {
		rest, ok := bytes.CutPrefix(sc.Bytes(), []byte("VmRSS:"))
		if !ok {
			continue
		}
		fields := bytes.Fields(rest)
		if len(fields) != 2 || string(fields[1]) != "kB" {
			return 0, false
		}
		kb, err := strconv.ParseInt(string(fields[0]), 10, 64)
		if err != nil || kb < 0 || kb > 1<<40 {
			return 0, false
		}
		return kb << 10, true
	}
	return 0, false
}

// readRSS returns the resident set size of process pid in bytes.
func readRSS(pid int) (int64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, fmt.Errorf("read rss: %w", err)
	}
	rss, ok := vmRSS(b)
	if !ok {
		return 0, fmt.Errorf("read rss: no VmRSS in /proc/%d/status", pid)
	}
	return rss, nil
}

// clockTicks is the kernel's USER_HZ, the unit of times in /proc/PID/stat (100 on Linux).
const clockTicks = 100

// cpuTime returns user plus system CPU time from the text of /proc/PID/stat.
func cpuTime(stat []byte) (time.Duration, bool) {
	i := bytes.LastIndexByte(stat, ')')
	if i < 0 {
		return 0, false
	}
	// After the command name: state is field 3, utime field 14, stime field 15.
	fields := bytes.Fields(stat[i+1:])
	if len(fields) < 13 {
		return 0, false
	}
	var ticks int64
	for _, f := range fields[11:13] {
		t, err := strconv.ParseInt(string(f), 10, 64)
		if err != nil || t < 0 || t > 1<<50 {
			return 0, false
		}
		ticks += t
	}
	return time.Duration(ticks) * time.Second / clockTicks, true
}

// readCPU returns the CPU time process pid has used.
func readCPU(pid int) (time.Duration, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, fmt.Errorf("read cpu: %w", err)
	}
	d, ok := cpuTime(b)
	if !ok {
		return 0, fmt.Errorf("read cpu: unexpected /proc/%d/stat", pid)
	}
	return d, nil
}

// loadAvg returns the machine's one-minute load average, or -1 when unknown. Figures taken while
// other work loads the machine are noisier; the load is reported with them.
func loadAvg() float64 {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return -1
	}
	f := bytes.Fields(b)
	if len(f) == 0 {
		return -1
	}
	v, err := strconv.ParseFloat(string(f[0]), 64)
	if err != nil {
		return -1
	}
	return v
}
