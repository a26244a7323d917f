// gor G K: G goroutines, goroutine i writes g<i>.out K times with
// os.File.Write (errors ignored); after Wait, prints each result in order.
package main

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
)

func main() {
	g, k := 8, 20
	if len(os.Args) > 1 {
		g, _ = strconv.Atoi(os.Args[1])
	}
	if len(os.Args) > 2 {
		k, _ = strconv.Atoi(os.Args[2])
	}
	res := make([][]string, g)
	var wg sync.WaitGroup
	for i := 0; i < g; i++ {
		wg.Add(1)
		go func(id int) {
			defer wg.Done()
			f, err := os.OpenFile(fmt.Sprintf("g%d.out", id), os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0644)
			if err != nil {
				res[id] = append(res[id], "open failed")
				return
			}
			for n := 0; n < k; n++ {
				line := fmt.Sprintf("goroutine %d line %d %s\n", id, n, strings.Repeat("z", (n*3+id)%40))
				w, err := f.Write([]byte(line))
				if err != nil {
					res[id] = append(res[id], fmt.Sprintf("wrote %d error", w))
				} else {
					res[id] = append(res[id], fmt.Sprintf("wrote %d", w))
				}
			}
			_ = f.Close()
		}(i)
	}
	wg.Wait()
	for i := range res {
		for n, r := range res[i] {
			fmt.Printf("g%d #%d %s\n", i, n, r)
		}
	}
}
